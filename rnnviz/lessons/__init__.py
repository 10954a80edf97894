"""Guided lessons: predict, run a live experiment, see the result beside your prediction, and why.

``model.py`` holds what a lesson is (steps, questions, the controls a step shows), ``experiments.py`` what each step
runs (an instant computation or a live lab) and how its result reads, ``catalogue.py`` the lessons themselves, and
``notebook.py`` exports a lesson as a Jupyter notebook that reruns every experiment with the rnnviz library.
"""
