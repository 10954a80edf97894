"""Training that runs while pages draw: the ``LiveJob`` protocol, the background worker that drives any job,
the training slots that make a shared server's runs take turns, the janitor that frees a closed tab's state,
and the server's own counts (memory, threads, live models). No Streamlit here: ``rnnviz.ui.live`` connects it.
"""
