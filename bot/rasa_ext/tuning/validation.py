"""Action-server responses checked against Rasa's schema with a validator built once.

Rasa 3.6 checks every action-server response against its JSON schema with
``jsonschema.validate``, which first re-validates the schema itself against the JSON
Schema meta-schema, on every call: 28% of the Rasa server's busy thread under load
(py-spy, docs/performance.md, "Where the time went"). The same check runs here with a
validator built once; responses are held to exactly the same schema and fail with the same error.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@functools.lru_cache(maxsize=1)
def _response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the validator built once."""
    error = best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response "
        "from the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error
