"""A bare FastAPI app that serves a fixed JSON body: the yardstick for the version read."""

import os
from pathlib import Path

from fastapi import FastAPI, Response

app = FastAPI()
BODY = Path(os.environ["BARE_BODY_FILE"]).read_bytes()


@app.get("/body")
async def body() -> Response:
    return Response(BODY, media_type="application/json")
