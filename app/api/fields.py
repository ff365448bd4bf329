"""Field types shared by request bodies.

Text never holds a NUL character: PostgreSQL cannot store or compare one (SQLite can, so without
this rule the same request would be stored on one backend and fail on the other). JSON scalars in
request bodies are declared with pydantic's Strict types (StrictBool, StrictInt, StrictFloat), so a
value of the wrong JSON type is a 422 instead of being coerced (`"pretrained": 0` is not `false`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

NO_NUL = r"^[^\x00]*$"

Text = Annotated[str, StringConstraints(pattern=NO_NUL)]
