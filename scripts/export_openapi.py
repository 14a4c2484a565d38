"""Write the app's OpenAPI schema as JSON (the SPA's API client is generated from it)."""

import json
import sys
import tempfile
from pathlib import Path

from app.main import create_app
from app.settings import Settings


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), jwt_secret="schema-export-only-" + "x" * 32)
        schema = create_app(settings).openapi()
    out = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)


if __name__ == "__main__":
    main()
