"""Hand-built :class:`Report` objects for the rendering tests.

``sahel_report()`` follows the seed articles for the incidents they cover (Boulkessi,
Timbuktu, Tahoua + Dosso, Djibo, Dioura, Sirakorola): ``test_factories.py`` checks their
figure rows against the real report of ``examples/sahel-2025-06``. The other incidents in it
(Ménaka, Ouallam, Arbinda, Tillabéri, ...) are **invented** to give the table more
than 20 rows, accented place names, revisions and claim spreads: they are layout
test data, not facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sitrep.errors import Problem
from sitrep.model.counts import parse_count
from sitrep.model.records import DatePrecision, EventType, Group, Outcome, Stance, SubEventType
from sitrep.model.report import (
    Cell,
    DataQuality,
    Development,
    Figure,
    FigureRow,
    Flag,
    Incident,
    KeyFigures,
    Merge,
    MergeLink,
    Period,
    Place,
    Report,
    ReportFilter,
    Severity,
    SourceRef,
    Statement,
    Total,
    Trend,
)
from sitrep.reconcile import bounds

JUN1 = dt.date(2025, 6, 1)
JUN2 = dt.date(2025, 6, 2)


def st(
    record: str,
    by: str,
    stance: Stance,
    text: str | None,
    low: int | None,
    high: int | None,
    sources: Sequence[int],
    *,
    reported: dt.date | None = JUN2,
    quote: str | None = None,
    covers: Sequence[str] = (),
    revised_from: str | None = None,
    revised_on: dt.date | None = None,
    first_seen: dt.date | None = None,
    date_known: bool = True,
    party: bool = False,
    via: Sequence[str] = (),
) -> Statement:
    """One statement; ``text`` is the figure as coded (parsed for its kind), and
    ``revised_from`` the earlier figure as coded ('no figure' for none)."""
    count = None if text is None else parse_count(text)
    previous = None
    if revised_from is not None and revised_from != "no figure":
        earlier = parse_count(revised_from)
        previous = Figure(
            wording=revised_from, kind=earlier.kind, low=earlier.low, high=earlier.high,
            approx=earlier.approx,
        )  # fmt: skip
    return Statement(
        record=record,
        by=by,
        stance=stance,
        wording=text,
        low=low,
        high=high,
        reported=reported,
        quote=quote,
        sources=list(sources),
        covers=list(covers),
        revised_on=revised_on,
        kind=None if count is None else count.kind,
        approx=None if count is None else count.approx,
        previous=previous,
        first_seen=first_seen,
        date_known=date_known,
        party=party,
        via=list(via),
    )


def cell(
    stance: Stance,
    *statements: Statement,
    superseded: Sequence[Statement] = (),
    contradiction: bool = False,
) -> Cell:
    """A cell whose status follows from its statements."""
    if not statements:
        status = "silent"
    elif any(s.wording is not None for s in statements):
        status = "figure"
    else:
        status = "no_figure"
    return Cell(
        stance=stance,
        status=status,  # type: ignore[arg-type]
        statements=list(statements),
        superseded=list(superseded),
        contradiction=contradiction,
    )


def row(
    incident: str,
    group: Group,
    outcome: Outcome,
    *,
    official: Iterable[Statement] = (),
    claimed: Iterable[Statement] = (),
    independent: Iterable[Statement] = (),
    low: int | None,
    best: int | None,
    high: int | None,
    high_open: bool = False,
    flags: Sequence[Flag] = (),
    incidents: Sequence[str] = (),
    contradiction: bool = False,
    superseded: Sequence[Statement] = (),
) -> FigureRow:
    """A figure row; contradiction and superseded statements go to the official cell. Its
    basis is what sitrep's own rule makes of the statements; its places are set by
    :func:`sahel_report` from the incidents."""
    current = [
        (s.stance, s.by, parse_count(s.wording))
        for s in (*official, *claimed, *independent)
        if s.wording is not None
    ]
    return FigureRow(
        incident=incident,
        incidents=list(incidents) or [incident],
        group=group,
        outcome=outcome,
        official=cell(
            Stance.OFFICIAL, *official, superseded=superseded, contradiction=contradiction
        ),
        claimed=cell(Stance.CLAIMED, *claimed),
        independent=cell(Stance.INDEPENDENT, *independent),
        low=low,
        best=best,
        high=high,
        high_open=high_open,
        flags=list(flags),
        derivation=bounds(current).derivation,
    )


OFF, CLM, IND = Stance.OFFICIAL, Stance.CLAIMED, Stance.INDEPENDENT
SF, AG, CIV, UNK = Group.STATE_FORCES, Group.ARMED_GROUP, Group.CIVILIANS, Group.UNKNOWN
KILLED, WOUNDED, ABDUCTED, ARRESTED, MISSING = (
    Outcome.KILLED,
    Outcome.WOUNDED,
    Outcome.ABDUCTED,
    Outcome.ARRESTED,
    Outcome.MISSING,
)

BOULKESSI = "mli-boulkessi-2025-06-01"
TIMBUKTU = "mli-timbuktu-2025-06-02"
TAHOUA = "ner-tahoua-2025-05-24"
DOSSO = "ner-dosso-2025-05-26"
DJIBO = "bfa-djibo-2025-05-15"
DIOURA = "mli-dioura-2025-05-24"
SIRAKOROLA = "mli-sirakorola-2025-05-30"
BOULIKESSI = "mli-boulikessi-2025-06-01"  # ClashReport's record, merged into Boulkessi


def _sources() -> list[SourceRef]:
    raw: list[tuple[str, str | None, dt.date | None, list[str]]] = [
        ("Reuters", None, None, [BOULKESSI]),
        ("Malian Armed Forces (FAMa) statement", None, JUN2, [BOULKESSI, SIRAKOROLA]),
        (
            "ClashReport",
            "https://clashreport.example/mali-boulikessi",
            JUN2,
            [BOULIKESSI, TIMBUKTU],
        ),
        ("Al Jazeera", None, None, [BOULKESSI, TIMBUKTU]),
        (
            "TRT World",
            "https://www.trtworld.example/article/18233",
            JUN2,
            [BOULKESSI, TAHOUA, DJIBO, DIOURA, SIRAKOROLA],
        ),
        ("JNIM statement", None, JUN1, [BOULKESSI, TIMBUKTU, DIOURA]),
        ("AFP", None, JUN2, [TIMBUKTU]),
        (
            "Radio Studio Tamani",
            "https://www.studiotamani.example/ménaka",
            JUN2,
            ["mli-menaka-2025-06-01"],
        ),
        (
            "Ministère de la Défense du Niger, communiqué",
            None,
            JUN2,
            ["ner-ouallam-2025-06-02", "ner-tillaberi-2025-06-01"],
        ),
        ("ISWAP/IS Sahel statement (Amaq)", None, JUN2, ["ner-ouallam-2025-06-02"]),
        (
            "Local humanitarian source",
            None,
            JUN2,
            ["bfa-arbinda-2025-06-01", "bfa-fada-2025-06-02"],
        ),
        (
            "Agence d'Information du Burkina",
            "https://www.aib.example/fada",
            JUN2,
            ["bfa-fada-2025-06-02", "bfa-arbinda-2025-06-01"],
        ),
        (
            "Mali government spokesperson",
            None,
            JUN2,
            ["mli-gao-2025-06-02", "mli-segou-2025-06-01"],
        ),
        (
            "OCHA Mali flash update",
            "https://reports.example/ocha-mali-flash-12",
            JUN2,
            ["mli-segou-2025-06-01", "mli-gao-2025-06-02"],
        ),
    ]
    return [
        SourceRef(number=i, name=name, url=url, published=pub, records=recs)
        for i, (name, url, pub, recs) in enumerate(raw, start=1)
    ]


def _rows() -> dict[str, list[FigureRow]]:
    """Figure rows per incident id (joint rows appear under each incident they cover)."""
    quote_fama = "Many men fought, some until their last breath, to defend the Malian nation"
    boulkessi = [
        row(
            BOULKESSI,
            SF,
            KILLED,
            official=[st(BOULKESSI, "FAMa", OFF, None, None, None, [2, 5], quote=quote_fama)],
            independent=[
                # ClashReport relays Reuters (`via: reuters`): one statement, three sources.
                st(BOULKESSI, "two security sources", IND, "more than 30", 31, None, [1, 3, 5],
                   first_seen=JUN2, via=["Reuters"]),
            ],
            low=31,
            best=31,
            high=None,
            high_open=True,
            flags=[Flag.OFFICIAL_NO_FIGURE],
        ),
        row(
            BOULKESSI,
            UNK,
            KILLED,
            independent=[
                st(
                    BOULKESSI,
                    "municipal source in Mondoro",
                    IND,
                    "many",
                    1,
                    None,
                    [1, 5],
                    quote="cleared the camp",
                )
            ],
            low=None,  # "many" names no number: no floor
            best=None,
            high=None,
            high_open=True,
            flags=[Flag.NO_OFFICIAL],
        ),
    ]
    timbuktu = [
        row(
            TIMBUKTU,
            AG,
            KILLED,
            official=[
                st(TIMBUKTU, "FAMa", OFF, "14", 14, 14, [4], quote="neutralized", party=True),
                st(TIMBUKTU, "FAMa", OFF, "13", 13, 13, [3], first_seen=JUN2, party=True),
            ],
            contradiction=True,
            low=None,  # the army on assailants killed: a party claim, out of low and best
            best=None,
            high=14,
            flags=[Flag.OFFICIAL_CONTRADICTION, Flag.PARTY_CLAIM, Flag.CLAIMED_ONLY],
        ),
        row(
            TIMBUKTU,
            UNK,
            ARRESTED,
            official=[st(TIMBUKTU, "FAMa", OFF, "31", 31, 31, [4])],
            low=31,
            best=31,
            high=31,
        ),
    ]
    joint = row(
        TAHOUA,
        SF,
        KILLED,
        incidents=[TAHOUA, DOSSO],
        independent=[
            st(TAHOUA, "security sources", IND, "more than 100", 101, None, [5], covers=[DOSSO],
               first_seen=JUN2, date_known=False)
        ],
        low=101,
        best=101,
        high=None,
        high_open=True,
        flags=[Flag.NO_OFFICIAL],
    )
    djibo = [
        row(
            DJIBO,
            SF,
            KILLED,
            claimed=[st(DJIBO, "JNIM", CLM, "200", 200, 200, [5], reported=dt.date(2025, 5, 15),
                        first_seen=JUN2, party=True)],
            low=None,
            best=None,
            high=200,
            flags=[Flag.NO_OFFICIAL, Flag.PARTY_CLAIM, Flag.CLAIMED_ONLY],
        ),
    ]
    dioura = [
        row(
            DIOURA,
            SF,
            KILLED,
            claimed=[st(DIOURA, "JNIM", CLM, "40", 40, 40, [5, 6], reported=dt.date(2025, 5, 24),
                        first_seen=JUN2, party=True)],
            low=None,
            best=None,
            high=40,
            flags=[Flag.NO_OFFICIAL, Flag.PARTY_CLAIM, Flag.CLAIMED_ONLY],
        ),
    ]
    sirakorola = [
        row(
            SIRAKOROLA,
            SF,
            KILLED,
            official=[st(SIRAKOROLA, "FAMa", OFF, None, None, None, [2, 5], first_seen=JUN2,
                         date_known=False)],
            low=None,
            best=None,
            high=None,
            flags=[Flag.OFFICIAL_NO_FIGURE],
        ),
    ]
    # --- invented incidents (layout test data) ---------------------------------------
    menaka_id = "mli-menaka-2025-06-01"
    menaka = [
        row(
            menaka_id,
            CIV,
            KILLED,
            official=[
                st(
                    menaka_id,
                    "Governor of Ménaka",
                    OFF,
                    "12",
                    12,
                    12,
                    [8],
                    revised_from="8",
                    revised_on=JUN1,
                )
            ],
            superseded=[st(menaka_id, "Governor of Ménaka", OFF, "8", 8, 8, [8], reported=JUN1)],
            independent=[st(menaka_id, "residents", IND, "about 15", 15, 15, [8])],
            low=12,
            best=12,
            high=15,
            flags=[Flag.REVISED],
        ),
        row(
            menaka_id,
            CIV,
            WOUNDED,
            official=[st(menaka_id, "Governor of Ménaka", OFF, "several", 3, None, [8])],
            low=3,
            best=3,
            high=3,
            high_open=True,
        ),
        row(
            menaka_id,
            CIV,
            ABDUCTED,
            independent=[st(menaka_id, "residents", IND, "at least 6", 6, None, [8])],
            low=6,
            best=6,
            high=6,
            high_open=True,
            flags=[Flag.NO_OFFICIAL],
        ),
    ]
    ouallam_id = "ner-ouallam-2025-06-02"
    ouallam = [
        row(
            ouallam_id,
            SF,
            KILLED,
            official=[st(ouallam_id, "Niger defence ministry", OFF, "5", 5, 5, [9])],
            claimed=[st(ouallam_id, "IS Sahel", CLM, "60", 60, 60, [10])],
            low=5,
            best=5,
            high=60,
            flags=[Flag.CLAIM_SPREAD],
        ),
        row(
            ouallam_id,
            SF,
            WOUNDED,
            official=[st(ouallam_id, "Niger defence ministry", OFF, "11", 11, 11, [9])],
            low=11,
            best=11,
            high=11,
        ),
        row(
            ouallam_id,
            AG,
            KILLED,
            official=[st(ouallam_id, "Niger defence ministry", OFF, "dozens", 12, None, [9])],
            low=None,  # "dozens" names no number: no floor
            best=None,
            high=None,
            high_open=True,
        ),
    ]
    tillaberi_id = "ner-tillaberi-2025-06-01"
    tillaberi = [
        row(
            tillaberi_id,
            CIV,
            KILLED,
            official=[st(tillaberi_id, "Niger defence ministry", OFF, "7", 7, 7, [9])],
            low=7,
            best=7,
            high=7,
        ),
        row(
            tillaberi_id,
            CIV,
            MISSING,
            official=[st(tillaberi_id, "Niger defence ministry", OFF, None, None, None, [9])],
            low=None,
            best=None,
            high=None,
            flags=[Flag.OFFICIAL_NO_FIGURE],
        ),
    ]
    arbinda_id = "bfa-arbinda-2025-06-01"
    arbinda = [
        row(
            arbinda_id,
            CIV,
            KILLED,
            independent=[st(arbinda_id, "local humanitarian source", IND, "20-25", 20, 25, [11])],
            low=20,
            best=20,
            high=25,
            flags=[Flag.NO_OFFICIAL],
        ),
        row(
            arbinda_id,
            CIV,
            WOUNDED,
            independent=[
                st(arbinda_id, "local humanitarian source", IND, "about 40", 40, 40, [11])
            ],
            low=40,
            best=40,
            high=40,
            flags=[Flag.NO_OFFICIAL],
        ),
        row(
            arbinda_id,
            SF,
            KILLED,
            official=[st(arbinda_id, "Burkina Faso army", OFF, "2", 2, 2, [12])],
            independent=[
                st(arbinda_id, "local humanitarian source", IND, "fewer than 10", 1, 9, [11])
            ],
            low=2,
            best=2,
            high=9,
        ),
    ]
    fada_id = "bfa-fada-2025-06-02"
    fada = [
        row(
            fada_id,
            AG,
            KILLED,
            official=[st(fada_id, "Burkina Faso army", OFF, "more than 50", 51, None, [12])],
            low=51,
            best=51,
            high=51,
            high_open=True,
        ),
        row(
            fada_id,
            SF,
            WOUNDED,
            official=[st(fada_id, "Burkina Faso army", OFF, None, None, None, [12])],
            independent=[st(fada_id, "local humanitarian source", IND, "9", 9, 9, [11])],
            low=9,
            best=9,
            high=9,
            flags=[Flag.OFFICIAL_NO_FIGURE],
        ),
    ]
    gao_id = "mli-gao-2025-06-02"
    gao = [
        row(
            gao_id,
            CIV,
            KILLED,
            official=[st(gao_id, "Mali government spokesperson", OFF, "3", 3, 3, [13])],
            independent=[st(gao_id, "OCHA", IND, "4", 4, 4, [14])],
            low=3,
            best=4,
            high=4,
        ),
        row(
            gao_id,
            CIV,
            WOUNDED,
            independent=[st(gao_id, "OCHA", IND, "17", 17, 17, [14])],
            low=17,
            best=17,
            high=17,
            flags=[Flag.NO_OFFICIAL],
        ),
    ]
    segou_id = "mli-segou-2025-06-01"
    segou = [
        row(
            segou_id,
            CIV,
            ABDUCTED,
            independent=[st(segou_id, "OCHA", IND, "about 30", 30, 30, [14])],
            official=[st(segou_id, "Mali government spokesperson", OFF, None, None, None, [13])],
            low=30,
            best=30,
            high=30,
            flags=[Flag.OFFICIAL_NO_FIGURE],
        ),
    ]
    return {
        BOULKESSI: boulkessi,
        TIMBUKTU: timbuktu,
        TAHOUA: [joint],
        DOSSO: [joint],
        DJIBO: djibo,
        DIOURA: dioura,
        SIRAKOROLA: sirakorola,
        menaka_id: menaka,
        ouallam_id: ouallam,
        tillaberi_id: tillaberi,
        arbinda_id: arbinda,
        fada_id: fada,
        gao_id: gao,
        segou_id: segou,
    }


def _incident(
    id: str,
    rows: dict[str, list[FigureRow]],
    *,
    status: str,
    date: dt.date,
    country: str,
    admin1: str,
    location: str,
    lat: float | None,
    lon: float | None,
    event_type: EventType,
    sources: list[int],
    severity: Severity,
    precision: DatePrecision = DatePrecision.DAY,
    **kw: Any,
) -> Incident:
    return Incident(
        id=id,
        records=[id],
        status=status,
        date=date,  # type: ignore[arg-type]
        date_precision=precision,
        country=country,
        admin1=admin1,
        location=location,
        latitude=lat,
        longitude=lon,
        event_type=event_type,
        severity=severity,
        sources=sources,
        figures=rows.get(id, []),
        **kw,
    )


def _incidents(rows: dict[str, list[FigureRow]]) -> list[Incident]:
    B, E, V = (
        EventType.BATTLES,
        EventType.EXPLOSIONS_REMOTE_VIOLENCE,
        EventType.VIOLENCE_AGAINST_CIVILIANS,
    )
    mk = _incident
    return [
        # new (in the period)
        mk(
            BOULKESSI,
            rows,
            status="new",
            date=JUN1,
            country="MLI",
            admin1="Mopti",
            admin2="Douentza",
            location="Boulkessi",
            aliases=["Boulikessi"],
            lat=14.79,
            lon=-1.30,
            event_type=B,
            sub_event_type=SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY,
            perpetrator="JNIM",
            target="FAMa",
            severity=Severity.MAJOR,
            sources=[1, 2, 4, 5, 6],
            title="JNIM says it seized the army base at Boulkessi; army says it pulled back",
            summary="JNIM said in a statement on Sunday 1 June that its fighters had seized the "
            "army base at Boulkessi, near the border with Burkina Faso. The Malian army said its "
            "forces had been forced to pull back and gave no casualty figures; two security "
            "sources cited by Reuters said more than 30 soldiers were killed.",
            tags=["base", "jnim", "border"],
        ),
        mk(
            TIMBUKTU,
            rows,
            status="new",
            date=JUN2,
            country="MLI",
            admin1="Timbuktu",
            location="Timbuktu",
            aliases=["Tombouctou"],
            lat=16.77,
            lon=-3.01,
            event_type=B,
            sub_event_type=SubEventType.ARMED_CLASH,
            perpetrator="JNIM",
            target="FAMa",
            severity=Severity.MAJOR,
            sources=[3, 4, 6, 7],
            title="Car bomb and firefight at Timbuktu military camp; army says infiltration "
            "repelled",
            summary="A vehicle laden with explosives was detonated near the army camp in Timbuktu "
            "early on Monday 2 June, followed by a firefight. The Malian army said it had "
            'repelled an "infiltration attempt by terrorist fighters", putting the attackers\' '
            "dead at 13 (ClashReport) or 14 (statement released late Monday).",
        ),
        mk(
            "mli-menaka-2025-06-01",
            rows,
            status="new",
            date=JUN1,
            country="MLI",
            admin1="Ménaka",
            location="Ménaka",
            lat=15.92,
            lon=2.40,
            event_type=V,
            sub_event_type=SubEventType.ATTACK,
            perpetrator="IS Sahel",
            target="Civilians (Tamasheq herders)",
            severity=Severity.MAJOR,
            sources=[8],
            title="Herders killed and abducted near Ménaka (invented test incident)",
            summary="Test data: gunmen attacked a herders' camp east of Ménaka.",
        ),
        mk(
            "ner-ouallam-2025-06-02",
            rows,
            status="new",
            date=JUN2,
            country="NER",
            admin1="Tillabéri",
            location="Ouallam",
            lat=14.32,
            lon=2.09,
            event_type=B,
            sub_event_type=SubEventType.ARMED_CLASH,
            perpetrator="IS Sahel",
            target="Niger armed forces",
            severity=Severity.MAJOR,
            sources=[9, 10],
            title="Army convoy ambushed near Ouallam (invented test incident)",
            summary="Test data: an army convoy was ambushed; the ministry gave 5 dead, IS Sahel "
            "claimed 60.",
        ),
        mk(
            "ner-tillaberi-2025-06-01",
            rows,
            status="new",
            date=JUN1,
            country="NER",
            admin1="Tillabéri",
            location="Tillabéri",
            lat=14.21,
            lon=1.45,
            event_type=V,
            perpetrator=None,
            target="Civilians",
            severity=Severity.MODERATE,
            sources=[9],
            title="Market attack in Tillabéri (invented test incident)",
        ),
        mk(
            "bfa-arbinda-2025-06-01",
            rows,
            status="new",
            date=JUN1,
            country="BFA",
            admin1="Sahel",
            location="Arbinda",
            lat=14.23,
            lon=-0.87,
            event_type=E,
            sub_event_type=SubEventType.SHELLING_ARTILLERY_MISSILE_ATTACK,
            perpetrator="JNIM",
            target="Civilians and VDP",
            severity=Severity.MAJOR,
            sources=[11, 12],
            title="Mortar fire on Arbinda (invented test incident)",
            summary="Test data: mortar rounds hit a displacement site in Arbinda.",
        ),
        mk(
            "bfa-fada-2025-06-02",
            rows,
            status="new",
            date=JUN2,
            country="BFA",
            admin1="Est",
            location="Fada N'Gourma",
            lat=12.06,
            lon=0.36,
            event_type=B,
            sub_event_type=SubEventType.ARMED_CLASH,
            perpetrator="Burkina Faso army",
            target="JNIM",
            severity=Severity.CRITICAL,
            sources=[11, 12],
            title="Army says it repelled an attack on Fada N'Gourma (invented test incident)",
        ),
        mk(
            "mli-gao-2025-06-02",
            rows,
            status="new",
            date=JUN2,
            country="MLI",
            admin1="Gao",
            location="Gao",
            lat=16.27,
            lon=-0.04,
            event_type=E,
            sub_event_type=SubEventType.REMOTE_EXPLOSIVE_LANDMINE_IED,
            perpetrator=None,
            target="Civilians (bus passengers)",
            severity=Severity.MODERATE,
            sources=[13, 14],
            title="Bus hits explosive device near Gao (invented test incident)",
        ),
        mk(
            "mli-segou-2025-06-01",
            rows,
            status="new",
            date=JUN1,
            country="MLI",
            admin1="Ségou",
            location="Ségou",
            lat=13.43,
            lon=-6.26,
            event_type=V,
            sub_event_type=SubEventType.ABDUCTION_FORCED_DISAPPEARANCE,
            perpetrator="JNIM",
            target="Civilians",
            severity=Severity.MAJOR,
            sources=[13, 14],
            title="Villagers abducted near Ségou (invented test incident)",
        ),
        # updates (older, with statements reported in the period)
        mk(
            TAHOUA,
            rows,
            status="update",
            date=dt.date(2025, 5, 24),
            country="NER",
            admin1="Tahoua",
            location="Tahoua region",
            lat=None,
            lon=None,
            event_type=B,
            perpetrator=None,
            target="Niger armed forces",
            severity=Severity.CRITICAL,
            sources=[5],
            title="Attack on soldiers in Tahoua region",
            summary="Security sources said more than 100 soldiers were killed in this attack and "
            "one in the Dosso region on 26 May.",
        ),
        mk(
            DOSSO,
            rows,
            status="update",
            date=dt.date(2025, 5, 26),
            country="NER",
            admin1="Dosso",
            location="Dosso region",
            lat=None,
            lon=None,
            event_type=B,
            target="Niger armed forces",
            severity=Severity.CRITICAL,
            sources=[5],
            title="Attack on soldiers in Dosso region",
        ),
        mk(
            DJIBO,
            rows,
            status="update",
            date=dt.date(2025, 5, 15),
            precision=DatePrecision.WEEK,
            country="BFA",
            admin1="Sahel",
            admin2="Soum",
            location="Djibo",
            lat=14.10,
            lon=-1.63,
            event_type=B,
            sub_event_type=SubEventType.ARMED_CLASH,
            perpetrator="JNIM",
            target="Burkina Faso armed forces",
            severity=Severity.CRITICAL,
            sources=[5],
            title="JNIM claims attacks on Djibo and military positions, says 200 soldiers killed",
        ),
        mk(
            DIOURA,
            rows,
            status="update",
            date=dt.date(2025, 5, 24),
            country="MLI",
            admin1="Mopti",
            location="Dioura",
            lat=14.86,
            lon=-5.25,
            event_type=B,
            perpetrator="JNIM",
            target="FAMa",
            severity=Severity.MAJOR,
            sources=[5, 6],
            title="JNIM says it attacked the Dioura base, killing 40 soldiers",
        ),
        mk(
            SIRAKOROLA,
            rows,
            status="update",
            date=dt.date(2025, 5, 30),
            country="MLI",
            admin1="Koulikoro",
            location="Sirakorola",
            lat=13.45,
            lon=-7.53,
            event_type=B,
            perpetrator="JNIM",
            target="FAMa",
            severity=Severity.MAJOR,
            sources=[2, 5],
            title="JNIM says it seized the Sirakorola base; army says it repelled the attack",
        ),
        # context
        mk(
            "mli-bamako-2024-09-17",
            rows,
            status="context",
            date=dt.date(2024, 9, 17),
            country="MLI",
            admin1="Bamako",
            location="Bamako",
            lat=12.64,
            lon=-8.00,
            event_type=B,
            perpetrator="JNIM",
            target="Gendarmerie school and airport",
            severity=Severity.CRITICAL,
            sources=[],
            title="Attacks on Bamako's airport and a gendarmerie training school",
        ),
    ]


def _total(
    country: str | None,
    group: Group | None,
    low: int,
    best: int | None,
    high: int | None,
    high_open: bool,
    incidents: int,
) -> Total:
    """A killed total; its credible upper figure is its lower one (claims make the rest)."""
    return Total(
        country=country,
        group=group,
        outcome=KILLED,
        low=low,
        best=best,
        high=high,
        high_open=high_open,
        incidents=incidents,
        rows=incidents,
        high_credible=low,
        credible_rows=incidents if low else 0,
    )


def _placed(rows: dict[str, list[FigureRow]]) -> dict[str, list[FigureRow]]:
    """The rows with the place and date of each of their incidents (for their labels)."""
    places = {
        i.id: Place(location=i.location, date=i.date, date_precision=i.date_precision)
        for i in _incidents({})
    }
    done: dict[int, FigureRow] = {}
    for incident_rows in rows.values():
        for r in incident_rows:
            if id(r) not in done:
                done[id(r)] = r.model_copy(update={"places": [places[i] for i in r.incidents]})
    return {k: [done[id(r)] for r in v] for k, v in rows.items()}


def sahel_report(**update: Any) -> Report:
    """The big factory report: 15 incidents, 24 table rows, 14 sources."""
    rows = _placed(_rows())
    table: list[FigureRow] = []
    seen: set[int] = set()
    for incident_rows in rows.values():
        for r in incident_rows:
            if id(r) not in seen:
                seen.add(id(r))
                table.append(r)
    killed = [
        _total(None, SF, 190, 190, 502, True, 9),
        _total(None, AG, 76, 77, 77, True, 3),
        _total(None, CIV, 32, 33, 44, False, 4),
        _total(None, UNK, 1, None, 1, True, 1),
    ]
    report = Report(
        title="Sahel situation report",
        period=Period(
            start=JUN1,
            end=JUN2,
            timezone="Africa/Bamako",
            context_start=dt.date(2025, 5, 3),
        ),
        generated_at=dt.datetime(2025, 6, 3, 6, 0, tzinfo=dt.UTC),
        data_as_of=dt.datetime(2025, 6, 2, 23, 10, tzinfo=dt.UTC),
        key_figures=KeyFigures(
            incidents=9,
            updates=5,
            countries=["BFA", "MLI", "NER"],
            killed=killed,
            killed_all=_total(None, None, 299, 300, 624, True, 14),
        ),
        key_developments=[
            Development(kind="overview"),
            Development(kind="incident", incident=BOULKESSI),
            Development(kind="incident", incident=TIMBUKTU, novel=True),
            Development(kind="incident", incident=DJIBO),
        ],
        table=table,
        incidents=_incidents(rows),
        totals=[
            _total("MLI", None, 142, 143, 321, True, 7),
            _total("BFA", None, 73, 73, 285, True, 3),
            _total("NER", None, 125, 125, 180, True, 4),
        ],
        trends=[
            Trend(
                metric="incidents",
                current=9,
                previous=4,
                average_7=4.6,
                average_30=3.9,
                change_previous="large increase",
                change_7="large increase",
                change_30="large increase",
            ),
            Trend(
                metric="killed",
                current=299,
                previous=310,
                average_7=120.0,
                average_30=95.5,
                change_previous="limited change",
                change_7="large increase",
                change_30="large increase",
            ),
        ],
        sources=_sources(),
        data_quality=DataQuality(
            problems=[
                Problem(
                    file="mali/boulikessi-clashreport.yaml",
                    line=31,
                    record=None,
                    field="claims[1].count",
                    message="'over thirty' is not a count (expected a whole number, or "
                    "text such as '30', 'more than 30')",
                ),
                Problem(
                    file="niger/tahoua-dosso.yaml",
                    line=None,
                    record=DOSSO,
                    field=None,
                    message="no coordinates: not on the map",
                ),
            ],
            skipped_records=["mli-boulkessi-clashreport-2025-06-01"],
            merges=[
                Merge(
                    incident=BOULKESSI,
                    records=[BOULKESSI, "mli-boulikessi-clashreport-2025-06-01"],
                    links=[
                        MergeLink(
                            a="mli-boulikessi-clashreport-2025-06-01", b=BOULKESSI,
                            rule="alias", place_a="Boulikessi", place_b="Boulkessi",
                            day_a=JUN1, day_b=JUN1,
                        )
                    ],
                ),
            ],
            records_loaded=17,
        ),
    )
    return report.model_copy(update=update) if update else report


def empty_report() -> Report:
    """A report for a quiet day: no incidents, figures, sources or problems."""
    zero = _total(None, None, 0, 0, 0, False, 0)
    return sahel_report().model_copy(
        update={
            "key_figures": KeyFigures(
                incidents=0, updates=0, countries=[], killed=[], killed_all=zero
            ),
            "key_developments": [],
            "table": [],
            "incidents": [],
            "totals": [],
            "trends": [],
            "sources": [],
            "data_quality": DataQuality(records_loaded=0),
            "data_as_of": None,
        }
    )


def one_incident_report() -> Report:
    """Only Timbuktu: one incident, two rows."""
    base = sahel_report()
    timbuktu = next(i for i in base.incidents if i.id == TIMBUKTU)
    developments = [Development(kind="incident", incident=TIMBUKTU)]
    return base.model_copy(
        update={
            "incidents": [timbuktu],
            "table": list(timbuktu.figures),
            "key_developments": developments,
        }
    )


EVIL = (
    '<img src="file:///etc/passwd"> <script>alert(1)</script> '
    "[link](http://x.example/a) http://evil.example/b | ![i](http://x.example/i.png)"
)


def hostile_report() -> Report:
    """The factory report with markup, links and URLs planted in record text."""
    base = sahel_report()
    boulkessi = next(i for i in base.incidents if i.id == BOULKESSI)
    first = boulkessi.figures[0]
    fama = first.official.statements[0].model_copy(update={"by": EVIL, "quote": EVIL})
    row = first.model_copy(
        update={"official": first.official.model_copy(update={"statements": [fama]})}
    )
    evil_incident = boulkessi.model_copy(
        update={
            "title": "Title " + EVIL,
            "summary": "Summary " + EVIL,
            "perpetrator": EVIL,
            "figures": [row, *boulkessi.figures[1:]],
        }
    )
    incidents = [evil_incident if i.id == BOULKESSI else i for i in base.incidents]
    table = [row if r is base.table[0] else r for r in base.table]
    sources = [
        s.model_copy(update={"name": "Source " + EVIL}) if s.number == 1 else s
        for s in base.sources
    ]
    problems = [Problem("mali/evil.yaml", 3, "x", "title", EVIL)]
    return base.model_copy(
        update={
            "incidents": incidents,
            "table": table,
            "sources": sources,
            "data_quality": base.data_quality.model_copy(update={"problems": problems}),
        }
    )


def filtered_report() -> Report:
    """An edition for Mali's Timbuktu region, major incidents and above."""
    return sahel_report(
        filter=ReportFilter(
            countries=frozenset({"MLI", "BFA"}),
            admin1=frozenset({"Timbuktu"}),
            min_severity=Severity.MAJOR,
        )
    )
