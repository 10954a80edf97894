# rnnviz for a classroom: one container per replica, CPU by default.
#   docker build -t rnnviz .
#   docker run -p 8501:8501 rnnviz
# For a GPU image: docker build --build-arg BASE=nvidia/cuda:12.6.3-runtime-ubuntu24.04 -t rnnviz-gpu .
# (that base needs python3.11 added; torch==2.13.0 from PyPI brings its own CUDA libraries).
ARG BASE=python:3.11-slim
FROM ${BASE}

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 RNNVIZ_CACHE_DIR=/data/cache
WORKDIR /app
# Noto CJK: the Tag page's Chinese, for a browser or a chart export run inside the image (a student's own browser
# uses its own fonts).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY app.py ./
COPY pages ./pages
COPY rnnviz ./rnnviz
COPY pretrained ./pretrained
COPY .streamlit ./.streamlit
RUN useradd --create-home rnnviz && mkdir -p /data/cache && chown -R rnnviz /data
USER rnnviz
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.fileWatcherType", "none"]
