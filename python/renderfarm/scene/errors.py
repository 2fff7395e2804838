"""Why a simulator's model could not be exported as a farm scene."""

from __future__ import annotations


class SceneExportError(ValueError):
    """A model element the farm cannot draw, naming it (``geom 'floor' (id 0)``, ``shape 3``)."""

    def __init__(self, message: str, *, element: str | None = None) -> None:
        self.element = element
        super().__init__(f"{element}: {message}" if element else message)
