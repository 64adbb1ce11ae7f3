from .facts import Context


def draft(ctx: Context) -> None:
    pass
