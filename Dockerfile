# One image for every Dispatch process: `dispatch worker`, `dispatch run --no-worker --shards …`.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY prompts ./prompts
COPY seeds ./seeds
RUN pip install --no-cache-dir '.[postgres]'
# Dispatch needs no root.
RUN useradd --create-home dispatch
USER dispatch
ENTRYPOINT ["dispatch"]
