"""Which household each new student of an imported list belongs to.

A row's household is found by its 户编号, else by the head's ID number; a row that carries either and
matches neither makes a new household (two families with one head name in one village group stay
two). Only a row with neither is matched by head name + place, and that match is a question for the
officer in the preview (default: the same family). Brothers and sisters on consecutive rows with the
same number, head and place are one family, matched once.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from db.exchange.import_fields import HOUSEHOLD_KEYS, Record
from db.models.registry import Household

HH_COLS = ("id", "household_no", "head_name", "head_id_number", "township", "village", "group_name",
           "address", "poverty_status", "poverty_exit_year", "phone", "notes", "liaison_officer_id",
           "helper_cadre")
I_OFFICER = HOUSEHOLD_KEYS.index("liaison_officer")
I_CADRE = HOUSEHOLD_KEYS.index("helper_cadre")
SAME, SEPARATE = "same", "new"


def place_key(h: tuple) -> str:
    """The question key of a household known only by head name and place."""
    return "household:" + "/".join(x or "" for x in (h[1], h[3], h[4], h[5]))


@dataclass
class PlaceMatch:
    """Rows whose household is known only by head name + place and matches an earlier one."""
    key: str
    head: str
    place: str
    rows: list[int] = field(default_factory=list)
    first_row: int | None = None        # the row it matches, None: a household already in the database


class HouseholdMatcher:
    def __init__(self, conn) -> None:
        self.by_no: dict[str, int] = {}
        self.by_head: dict[str, int] = {}
        self.by_place: dict[tuple, tuple[int, int | None]] = {}      # place -> (household, file row or None)
        for hid, no, head_id, head, town, village, group in conn.execute(select(
                Household.id, Household.household_no, Household.head_id_number, Household.head_name,
                Household.township, Household.village, Household.group_name)):
            if no:
                self.by_no[no] = hid
            if head_id:
                self.by_head[head_id] = hid
            self.by_place.setdefault((head, town, village, group), (hid, None))
        self.next_id = (conn.execute(select(func.max(Household.id))).scalar() or 0) + 1
        self.new: list[tuple] = []                 # rows of HH_COLS to insert
        self.asked: dict[str, PlaceMatch] = {}

    def resolve(self, records: list[Record], officers: dict[str, int],
                same_family: Callable[[str], bool] = lambda key: True) -> list[int | None]:
        """The household id of each record (None: the row names no household)."""
        out: list[int | None] = []
        last: tuple | None = None
        hid = None
        for rec in records:
            h = rec.hdata                   # HOUSEHOLD_KEYS order: no, head, head_id, town, village, group, …
            if h is not last and (h is None or last is None or h[:6] != last[:6]):
                last = h                    # a new family (the row above had another number, head or place)
                hid = None if h is None or not (h[0] or h[1] or h[2]) else self._one(rec.row, h, officers, same_family)
            out.append(hid)
        return out

    def _one(self, row: int, h: tuple, officers: dict[str, int], same_family) -> int:
        no, head_id = h[0], h[2]
        place = (h[1] or "", h[3] or "", h[4] or "", h[5] or "")
        if no or head_id:
            hid = (no and self.by_no.get(no)) or (head_id and self.by_head.get(head_id))
        else:
            hid = self._by_place(row, h, place, same_family)
        if not hid:
            hid = self._create(h, place, officers)
        if not place[0] or place in self.by_place:
            return hid
        self.by_place[place] = (hid, row)
        return hid

    def _by_place(self, row: int, h: tuple, place: tuple, same_family) -> int | None:
        found = self.by_place.get(place) if place[0] else None
        if found is None:
            return None
        key = place_key(h)
        match = self.asked.get(key)
        if match is None:
            match = self.asked[key] = PlaceMatch(key, place[0], "".join(place[1:]), first_row=found[1])
        match.rows.append(row)
        return found[0] if same_family(key) else None

    def _create(self, h: tuple, place: tuple, officers: dict[str, int]) -> int:
        hid = self.next_id
        self.next_id += 1
        no, head_id = h[0], h[2]
        self.new.append((hid, no or None, place[0], head_id, *place[1:], h[6] or "", h[7], h[8], h[9] or "",
                         h[10] or "", officers.get(h[I_OFFICER]), h[I_CADRE] or ""))
        if no:
            self.by_no[no] = hid
        if head_id:
            self.by_head[head_id] = hid
        return hid
