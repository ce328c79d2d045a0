"""The base of the project's NLU components that need no training and no configuration."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData
from typing_extensions import Self


class StatelessComponent(GraphComponent):
    """A graph component built without arguments; training data passes through unchanged."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data is left as it is (override to change it)."""
        return training_data
