"""A name -> object table filled by collector hooks, remembering which plugin gave what."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, Protocol, TypeVar

from codeaug.errors import DuplicateNameError, UnknownNameError


class Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class Registry(Generic[T]):
    """Objects by name (and alias). A duplicate name is an error naming both plugins."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._aliases: dict[str, str] = {}
        self._owner: dict[str, str] = {}

    def registrar(self, plugin: str) -> Callable[[T], None]:
        """The ``register`` callable handed to one plugin's collector hook."""

        def register(item: T) -> None:
            self.add(item, plugin)

        return register

    def add(self, item: T, plugin: str) -> None:
        names = [item.name, *getattr(item, "aliases", ())]
        for name in names:
            key = name.lower()
            if key in self._aliases:
                owner = self._owner[self._aliases[key]]
                raise DuplicateNameError(self.kind, name, owner, plugin)
        self._items[item.name] = item
        self._owner[item.name] = plugin
        for name in names:
            self._aliases[name.lower()] = item.name

    def get(self, name: str) -> T:
        try:
            return self._items[self._aliases[name.lower()]]
        except KeyError:
            raise UnknownNameError(self.kind, name, list(self._items)) from None

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._aliases

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def owner(self, name: str) -> str:
        """The plugin that registered ``name``."""
        return self._owner[self.get(name).name]
