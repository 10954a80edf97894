from conftest import ROOT
from streamlit.testing.v1 import AppTest


def test_home_page_renders_and_lists_pages():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "rnnviz" in at.title[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "LSTM" in text and "GRU" in text
