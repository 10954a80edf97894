"""Charts as pure functions from plain data to Plotly figures, one module per page's subject: training curves,
traces (gates, states, neurons), gradients and tasks, attention. Testable without a browser.
"""
