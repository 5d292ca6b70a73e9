"""``dataflyt alias``: confirm that a name stands for an organisation (``add``), list the
aliases confirmed (``list``) and end one (``remove``). Confirmed aliases are kept in the map and
apply to the documents loaded before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from dataflyt.cli.common import (
    BackendOption,
    JsonOption,
    MapOption,
    emit,
    open_cli_store,
    waiting_for_load,
)

if TYPE_CHECKING:
    from dataflyt.ingest.aliases import UserAliases

__all__ = ["app"]

app = typer.Typer(
    name="alias",
    help="Confirm that a name stands for an organisation, list or remove such aliases.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("add", short_help="Confirm that NAME is another name of ORGANISATION.")
def add(
    name: Annotated[str, typer.Argument(help='The other name, e.g. "Twillio".')],
    organisation: Annotated[str, typer.Argument(help="The organisation in the map it names.")],
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm that NAME is another name of ORGANISATION: the documents that name it are
    rebuilt onto the organisation, and documents loaded later resolve it too."""
    import datetime as dt

    from dataflyt.cli.load_report import render_load
    from dataflyt.ingest.aliases import add_alias

    with open_cli_store(backend, map_path) as store, store.writing(waiting_for_load):
        emit(add_alias(store, name, organisation, dt.date.today()), as_json, render_load)


@app.command("remove", short_help="End an alias confirmed with alias add.")
def remove(
    name: Annotated[str, typer.Argument(help="The alias to end.")],
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> None:
    """End an alias confirmed with alias add, for documents loaded from now on (documents
    already rebuilt onto its organisation stay so until they are loaded again)."""
    import datetime as dt

    from dataflyt.cli.load_report import render_load
    from dataflyt.ingest.aliases import remove_alias

    with open_cli_store(backend, map_path) as store, store.writing(waiting_for_load):
        emit(remove_alias(store, name, dt.date.today()), as_json, render_load)


@app.command("list", short_help="List the aliases confirmed with alias add.")
def list_(
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the aliases confirmed with alias add, and the organisation each names."""
    from dataflyt.ingest.aliases import user_aliases

    with open_cli_store(backend, map_path) as store:
        emit(user_aliases(store), as_json, _render)


def _render(found: UserAliases) -> None:
    from dataflyt.cli.output import console, new_table, say

    if not found.aliases:
        say('No alias confirmed. Add one with: dataflyt alias add "Twillio" Twilio')
        return
    table = new_table("Aliases confirmed by the user", "alias", "organisation", "id")
    for alias in found.aliases:
        table.add_row(alias.alias, alias.organisation, alias.organisation_id)
    console.print(table)
