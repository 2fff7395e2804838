"""The one exception a rollout refuses input with, naming what was wrong and where."""

from __future__ import annotations


class RolloutError(ValueError):
    """A rollout (scene, header or body_q rows) that the farm would refuse.

    ``field`` names the header field (``shapes[3].radius``, ``step_dt``, ``body_q``); ``body`` and
    ``step`` locate a bad pose (``step`` is the env step, ``first_step`` based), ``component`` names
    its number (``px`` .. ``qw``). Any of them is ``None`` when it does not apply. ``reason`` is the
    message without the location.
    """

    def __init__(self, message: str, *, field: str | None = None, body: int | None = None,
                 step: int | None = None, component: str | None = None) -> None:
        self.reason = message
        self.field = field
        self.body = body
        self.step = step
        self.component = component
        where = []
        if field is not None:
            where.append(field)
        if step is not None:
            where.append(f"step {step}")
        if body is not None:
            where.append(f"body {body}")
        if component is not None:
            where.append(component)
        super().__init__(f"{', '.join(where)}: {message}" if where else message)

    def within(self, prefix: str, replaced: str) -> RolloutError:
        """The same error with its field's leading ``replaced`` renamed ``prefix`` (``shape.radius`` →
        ``shapes[3].radius``)."""
        field = self.field
        if field is not None and field.startswith(replaced):
            field = prefix + field[len(replaced):]
        return RolloutError(self.reason, field=field, body=self.body, step=self.step, component=self.component)
