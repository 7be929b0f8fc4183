"""File import: separators, BOM, dates, duplicates, truncated lines, JSON lines, re-import."""

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from advocacy.reach import importing, ingestion
from advocacy.reach.models import ImportJob, ImportRejection, SocialPost

PARIS = ZoneInfo("Europe/Paris")

SEMICOLON = (
    "Réseau;ID;Date;Auteur;Texte;J'aime;Partages;Impressions\n"
    "twitter;111;23/11/2026 14:05;@Agence_Rennes;Bravo #AvecPôleEmploi;12;3;1 540\n"
    "x;112;2026-11-22T08:30:00Z;mde_brest;Forum #avecpoleemploi;4;;\n"
    "mastodon;https://piaille.fr/users/lea/statuses/1;22/11/2026;lea@piaille.fr;Atelier #AvecPoleEmploi;1;0;\n"
)
MAPPING = {
    "network": "Réseau", "external_id": "ID", "posted_at": "Date", "author_handle": "Auteur", "text": "Texte",
    "likes": "J'aime", "reposts": "Partages", "impressions": "Impressions",
}  # fmt: skip


def run(content, *, fmt="csv", mapping=MAPPING, network="", name="export.csv", tmp_path=None) -> ImportJob:
    from advocacy.reach import services

    data = content if isinstance(content, bytes) else content.encode()
    job = services.import_job_open(
        original_name=name, format=fmt, mapping=mapping, default_network=network, bytes_total=len(data)
    )
    return importing.import_job_run(job_id=job.pk, binary=io.BytesIO(data))


def rejections(job):
    return list(ImportRejection.objects.filter(job=job).values_list("line", "reason"))


def test_semicolon_file_with_french_dates(programme_tag):
    job = run(SEMICOLON)

    assert job.status == ImportJob.Status.DONE
    assert (job.rows_read, job.rows_created, job.rows_rejected) == (3, 3, 0)
    post = SocialPost.objects.get(network="x", external_id="111")
    assert post.posted_at == datetime(2026, 11, 23, 14, 5, tzinfo=PARIS)
    assert post.author_handle == "agence_rennes"
    assert (post.likes, post.reposts, post.impressions, post.replies) == (12, 3, 1540, None)
    assert post.source == SocialPost.Source.IMPORT
    assert post.hashtag_list == ["avecpoleemploi"]
    iso = SocialPost.objects.get(external_id="112")
    assert iso.posted_at == datetime(2026, 11, 22, 8, 30, tzinfo=ZoneInfo("UTC"))
    assert iso.reposts is None
    mastodon = SocialPost.objects.get(network="mastodon")
    assert (mastodon.author_handle, mastodon.author_instance) == ("lea", "piaille.fr")
    assert mastodon.posted_at == datetime(2026, 11, 22, tzinfo=PARIS)
    assert job.percent == 100


def test_comma_file_with_bom_and_quoted_fields(programme_tag):
    content = (
        "\ufeffnetwork,external_id,posted_at,text,likes\n"
        'x,201,23/11/2026 09:00,"Texte, avec virgule #AvecPôleEmploi",5\n'
        'x,202,23/11/2026 09:01,"Sur deux\nlignes #AvecPôleEmploi",6\n'
        "x,203,23/11/2026 09:02,Sans guillemets #AvecPôleEmploi,7\n"
    )
    job = run(content.encode("utf-8"), mapping={})

    assert (job.rows_created, job.rows_rejected) == (3, 0)
    assert SocialPost.objects.get(external_id="201").text == "Texte, avec virgule #AvecPôleEmploi"
    assert SocialPost.objects.get(external_id="202").text == "Sur deux\nlignes #AvecPôleEmploi"


def test_bad_dates_are_rejected_with_their_line(programme_tag):
    content = (
        "network;external_id;posted_at;text\n"
        "x;1;31/02/2026 10:00;#AvecPôleEmploi\n"
        "x;2;hier;#AvecPôleEmploi\n"
        "x;3;;#AvecPôleEmploi\n"
        "x;4;23/11/2099 10:00;#AvecPôleEmploi\n"
        "x;5;23/11/2026 10:00;#AvecPôleEmploi\n"
    )
    job = run(content, mapping={})

    assert (job.rows_read, job.rows_created, job.rows_rejected) == (5, 1, 4)
    found = rejections(job)
    assert [line for line, _reason in found] == [2, 3, 4, 5]
    assert "31/02/2026" in found[0][1] and "illisible" in found[0][1]
    assert "manquante" in found[2][1]
    assert "futur" in found[3][1]


def test_other_rejections_name_the_reason(programme_tag):
    content = (
        "network;external_id;posted_at;text;likes\n"
        "myspace;1;23/11/2026 10:00;#AvecPôleEmploi;1\n"
        "x;;23/11/2026 10:00;#AvecPôleEmploi;1\n"
        "x;3;23/11/2026 10:00;#AvecPôleEmploi;beaucoup\n"
        "x;4;23/11/2026 10:00;pas de hashtag;1\n"
        "x;5;23/11/2026 10:00;#AvecPôleEmploiRecrute;1\n"
    )
    job = run(content, mapping={})

    reasons = dict(rejections(job))
    assert "réseau inconnu" in reasons[2]
    assert "identifiant" in reasons[3]
    assert "nombre invalide pour likes" in reasons[4]
    assert "hashtag" in reasons[5] and "hashtag" in reasons[6]
    assert job.rows_created == 0


def test_duplicates_inside_the_file_are_stored_once_last_row_winning(programme_tag):
    content = (
        "network;external_id;posted_at;text;likes\n"
        "x;1;23/11/2026 10:00;#AvecPôleEmploi;1\n"
        "x;1;23/11/2026 10:00;#AvecPôleEmploi;9\n"
        "twitter;1;23/11/2026 10:00;#AvecPôleEmploi;9\n"
    )
    job = run(content, mapping={})

    assert SocialPost.objects.count() == 1
    assert SocialPost.objects.get().likes == 9
    assert job.rows_rejected == 0 and job.rows_created == 1


def test_duplicates_across_batches_are_stored_once(programme_tag, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    rows = "".join(f"x;{i % 3};23/11/2026 10:0{i};#AvecPôleEmploi;{i}\n" for i in range(7))
    job = run("network;external_id;posted_at;text;likes\n" + rows, mapping={})

    assert SocialPost.objects.count() == 3
    assert job.rows_read == 7 and job.rows_created == 3
    assert SocialPost.objects.get(external_id="0").likes == 6


def test_a_batch_mixing_stored_posts_after_a_new_one_is_merged(programme_tag, monkeypatch):
    """After an all-new batch, the next is copied without asking first (PostgreSQL): the
    stored post in it makes the copy fail, and the batch is merged with the same result."""
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    header = "network;external_id;posted_at;text;likes\n"
    run(header + "x;1;23/11/2026 10:00;#AvecPôleEmploi;1\nx;2;23/11/2026 10:00;#AvecPôleEmploi;2\n", mapping={})
    first = SocialPost.objects.get(external_id="1")
    asked, copies = [], []
    any_stored, copy = ingestion._any_stored, ingestion._copy
    statements = {value: name for name, value in ingestion._statements().items() if isinstance(value, str)}

    def spied_any_stored(statement, rows):
        asked.append([row[ingestion.EXTERNAL_ID] for row in rows])
        return any_stored(statement, rows)

    def spied_copy(cursor, statement, rows, tail):
        copies.append(statements[statement])
        return copy(cursor, statement, rows, tail)

    monkeypatch.setattr(ingestion, "_any_stored", spied_any_stored)
    monkeypatch.setattr(ingestion, "_copy", spied_copy)

    job = run(
        header
        + "x;3;23/11/2026 11:00;#AvecPôleEmploi;3\nx;4;23/11/2026 11:00;#AvecPôleEmploi;4\n"  # new
        + "x;5;23/11/2026 12:00;#AvecPôleEmploi;5\nx;1;23/11/2026 10:00;#AvecPôleEmploi;10\n"  # new, stored
        + "x;2;23/11/2026 10:00;#AvecPôleEmploi;2\n",  # stored, unchanged
        mapping={},
    )

    assert (job.rows_created, job.rows_updated, job.rows_unchanged) == (3, 1, 1)
    if connection.vendor == "postgresql":
        # Asked for the first batch and the one after the merge, not for the second.
        assert asked == [["3", "4"], ["2"]]
        assert copies == ["copy_table", "copy_table", "copy_staging", "copy_staging"]
    assert sorted(SocialPost.objects.values_list("external_id", "likes")) == [
        ("1", 10), ("2", 2), ("3", 3), ("4", 4), ("5", 5)
    ]  # fmt: skip
    assert SocialPost.objects.get(external_id="1").pk == first.pk


def test_importing_the_same_file_again_changes_nothing(programme_tag):
    first = run(SEMICOLON)
    before = list(SocialPost.objects.order_by("pk").values())

    second = run(SEMICOLON)

    assert first.rows_created == 3
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 3)
    assert list(SocialPost.objects.order_by("pk").values()) == before


def test_a_later_export_with_new_metrics_updates_the_posts(programme_tag):
    run(SEMICOLON)
    job = run(SEMICOLON.replace(";12;3;1 540", ";40;3;1 900"))
    assert (job.rows_created, job.rows_updated, job.rows_unchanged) == (0, 1, 2)
    assert SocialPost.objects.get(external_id="111").likes == 40


def test_truncated_last_line_is_rejected_and_the_rest_imported(programme_tag):
    content = SEMICOLON + "x;113;23/11/2026 15:"
    job = run(content)

    assert job.status == ImportJob.Status.DONE
    assert job.rows_created == 3
    [(line, reason)] = rejections(job)
    assert line == 5 and "incomplète" in reason


def test_a_quote_left_open_is_reported_instead_of_swallowing_the_rest_of_the_file(programme_tag):
    content = (
        SEMICOLON
        + 'x;113;23/11/2026 15:00;;"Ouvert #AvecPôleEmploi;1;1;1\n'
        + "x;114;23/11/2026 15:01;;Perdue #AvecPôleEmploi;1;1;1\n"
    )

    job = run(content)

    assert job.status == ImportJob.Status.DONE
    assert job.rows_created == 3
    assert not SocialPost.objects.filter(external_id__in=["113", "114"]).exists()
    [(line, reason)] = rejections(job)
    assert line == 5
    assert reason.startswith("guillemet ouvert jamais refermé") and "(ligne 6)" in reason


def test_a_quote_closed_too_early_names_the_lines_it_glued_together(programme_tag):
    content = (
        "network;external_id;posted_at;text\n"
        'x;1;23/11/2026 10:00;"Ouvert #AvecPôleEmploi\n'
        "x;2;23/11/2026 10:01;Avalée #AvecPôleEmploi\n"
        'x;3;23/11/2026 10:02;"Fermé" trop tôt #AvecPôleEmploi\n'
        "x;4;23/11/2026 10:03;Lue #AvecPôleEmploi\n"
    )

    job = run(content, mapping={})

    assert list(SocialPost.objects.values_list("external_id", flat=True)) == ["4"]
    [(line, reason)] = rejections(job)
    assert line == 2
    assert reason.startswith("guillemet mal placé") and "lignes 2 à 4 ignorées" in reason


def test_a_field_beyond_the_csv_limit_is_rejected_in_french(programme_tag):
    content = SEMICOLON + "x;113;23/11/2026 15:00;;#AvecPôleEmploi " + "a" * 200_000 + ";1;1;1\n"
    job = run(content)
    assert job.rows_created == 3
    [(line, reason)] = rejections(job)
    assert line == 5 and reason.startswith("champ de plus de 131072 caractères")


def test_a_nul_character_rejects_its_row_not_the_whole_import(programme_tag):
    # PostgreSQL refused the whole batch with it, and the import crashed, left "En cours".
    content = SEMICOLON + "x;113;23/11/2026 15:00;@nu\x00l;Abîmée #AvecPôleEmploi;1;1;1\n"

    job = run(content)

    assert job.status == ImportJob.Status.DONE
    assert (job.rows_created, job.rows_rejected) == (3, 1)
    [(line, reason)] = rejections(job)
    assert line == 5 and reason.startswith("caractère invalide")


def test_json_lines_with_a_nul_or_half_a_surrogate_pair_reject_those_lines(programme_tag):
    content = (
        '{"external_id": "1", "posted_at": "23/11/2026 10:00", "text": "#AvecPôleEmploi \\ud83d"}\n'
        '{"external_id": "2\\u0000", "posted_at": "23/11/2026 10:00", "text": "#AvecPôleEmploi"}\n'
        '{"external_id": "3", "posted_at": "23/11/2026 10:00", "text": "#AvecPôleEmploi \\ud83d\\ude00"}\n'
    )

    job = run(content, fmt="jsonl", mapping={}, network="x", name="export.jsonl")

    assert job.status == ImportJob.Status.DONE
    assert [line for line, _reason in rejections(job)] == [1, 2]
    assert SocialPost.objects.get().text == "#AvecPôleEmploi 😀"


def test_line_numbers_count_physical_lines_of_multi_line_fields(programme_tag):
    content = (
        "network,external_id,posted_at,text\n"
        'x,1,23/11/2026 10:00,"un\ndeux\ntrois #AvecPôleEmploi"\n'
        "x,2,pas une date,#AvecPôleEmploi\n"
    )
    job = run(content, mapping={})
    assert rejections(job)[0][0] == 5


def test_missing_required_column_fails_the_job_clearly(programme_tag):
    job = run("network;id;text\nx;1;#AvecPôleEmploi\n", mapping={})
    assert job.status == ImportJob.Status.FAILED
    assert "external_id" in job.error and "posted_at" in job.error


def test_a_windows_1252_file_is_read_with_its_accents(programme_tag):
    """What a spreadsheet on a French Windows saves as "CSV (séparateur : point-virgule)"."""
    content = SEMICOLON.replace("Forum", "Forum d’été à Brest")

    job = run(content.encode("cp1252"))

    assert (job.rows_created, job.rows_rejected) == (3, 0)
    assert SocialPost.objects.get(external_id="111").text == "Bravo #AvecPôleEmploi"
    assert SocialPost.objects.get(external_id="112").text == "Forum d’été à Brest #avecpoleemploi"


def test_a_utf8_character_cut_by_the_sample_does_not_make_the_file_windows_1252():
    head = ("x" * (importing.SNIFF_BYTES - 1) + "é").encode()[: importing.SNIFF_BYTES]
    assert importing._is_utf8(head)
    assert not importing._is_utf8("é à la fin".encode("cp1252"))


def csv_rows(content):
    import csv

    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_a_utf16_file_fails_saying_how_to_save_it(programme_tag):
    job = run(SEMICOLON.encode("utf-16"))
    assert job.status == ImportJob.Status.FAILED
    assert "UTF-16" in job.error and "UTF-8" in job.error
    assert SocialPost.objects.count() == 0


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_spreadsheet_uploaded_by_mistake_fails_clearly(programme_tag, fmt):
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in csv_rows(SEMICOLON):
        workbook.active.append(row)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    job = run(xlsx.getvalue(), fmt=fmt)
    assert job.status == ImportJob.Status.FAILED
    assert "n’est pas un fichier texte" in job.error
    assert not ImportRejection.objects.exists()


def test_a_mapped_column_missing_from_the_file_fails_before_anything_is_stored(programme_tag):
    job = run(SEMICOLON, mapping={**MAPPING, "likes": "Likes", "replies": "Réponses"})

    assert job.status == ImportJob.Status.FAILED
    assert job.error.startswith(
        "Colonnes de la correspondance absentes du fichier : Likes (likes), Réponses (replies)."
    )
    assert "J'aime" in job.error  # the columns the file has
    assert not SocialPost.objects.exists()


def test_json_lines_with_nested_fields_and_a_truncated_line(programme_tag):
    lines = [
        {"id": "301", "created": "2026-11-23T10:00:00+01:00", "author": {"screen_name": "Agent_A", "followers": 120},
         "network": "twitter", "content": "Bravo #AvecPôleEmploi", "metrics": {"likes": 3, "shares": 1}},
        {"id": "302", "created": "23/11/2026 11:00", "author": {"screen_name": "agent_b"}, "network": "x",
         "content": "Sans le tag", "tags": ["AvecPoleEmploi"], "metrics": {"likes": 0}},
    ]  # fmt: skip
    content = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + '\n\n["liste"]\n{"id": "303", "crea'
    mapping = {
        "external_id": "id", "posted_at": "created", "author_handle": "author.screen_name",
        "author_followers": "author.followers", "text": "content", "likes": "metrics.likes",
        "reposts": "metrics.shares", "hashtags": "tags",
    }  # fmt: skip

    job = run(content, fmt="jsonl", mapping=mapping, name="export.jsonl")

    assert (job.rows_created, job.rows_rejected) == (2, 2)
    assert [line for line, _ in rejections(job)] == [4, 5]
    first = SocialPost.objects.get(external_id="301")
    assert (first.author_handle, first.author_followers, first.likes, first.reposts) == ("agent_a", 120, 3, 1)
    assert first.posted_at == datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert SocialPost.objects.get(external_id="302").hashtag_list == ["avecpoleemploi"]


def test_a_file_imported_in_the_wrong_format_fails_saying_which_to_choose(programme_tag):
    as_jsonl = run(SEMICOLON, fmt="jsonl", name="export.jsonl")
    assert as_jsonl.status == ImportJob.Status.FAILED
    assert "pas au format JSON lines" in as_jsonl.error and "CSV" in as_jsonl.error
    assert not ImportRejection.objects.filter(job=as_jsonl).exists()  # not one rejection per line

    lines = '{"external_id": "1", "posted_at": "23/11/2026 10:00", "text": "#AvecPôleEmploi"}\n'
    as_csv = run(lines, mapping={})
    assert as_csv.status == ImportJob.Status.FAILED
    assert "format JSON lines. Choisissez ce format" in as_csv.error


def test_json_lines_with_an_object_where_a_value_is_due_reject_the_line(programme_tag):
    content = (
        '{"id": {"value": "1"}, "date": "23/11/2026 10:00", "text": "#AvecPôleEmploi"}\n'
        '{"id": "2", "date": "23/11/2026 10:00", "text": ["#AvecPôleEmploi"]}\n'
        '{"id": 3, "date": "23/11/2026 10:00", "text": "#AvecPôleEmploi", "tags": ["AvecPôleEmploi"]}\n'
    )
    mapping = {"external_id": "id", "posted_at": "date", "hashtags": "tags"}

    job = run(content, fmt="jsonl", mapping=mapping, network="x", name="export.jsonl")

    assert rejections(job) == [
        (1, "objet ou liste JSON au lieu d’un texte ou d’un nombre pour external_id"),
        (2, "objet ou liste JSON au lieu d’un texte ou d’un nombre pour text"),
    ]
    assert list(SocialPost.objects.values_list("external_id", flat=True)) == ["3"]


def test_mapping_text_is_parsed_and_checked():
    assert importing.parse_mapping("external_id=ID, text = Contenu\nlikes=J'aime") == {
        "external_id": "ID", "text": "Contenu", "likes": "J'aime"
    }  # fmt: skip
    with pytest.raises(Exception, match="inconnus"):
        importing.parse_mapping("pseudo=Auteur")


def test_command_imports_and_prints_progress_and_rejections(programme_tag, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(SEMICOLON + "x;999;demain;;#AvecPôleEmploi;1;1;1\n", encoding="utf-8")
    mapping = ",".join(f"{k}={v}" for k, v in MAPPING.items())

    call_command("import_posts", str(path), "--mapping", mapping)

    out, err = capsys.readouterr()
    assert "4 lignes" in out and "3 publications ajoutées" in out and "1 lignes rejetées" in out
    assert "ligne 5 : date illisible" in err
    assert ImportJob.objects.get().original_name == "export.csv"


def test_command_groups_thousands_the_french_way(programme_tag, tmp_path, capsys):
    rows = "".join(f"x;{i};23/11/2026 10:00;;#AvecPôleEmploi;1;1;1\n" for i in range(1200))
    path = tmp_path / "export.csv"
    path.write_text(SEMICOLON.splitlines(keepends=True)[0] + rows, encoding="utf-8")

    call_command("import_posts", str(path), "--mapping", ",".join(f"{k}={v}" for k, v in MAPPING.items()))

    out = capsys.readouterr().out
    assert "1\u202f200 lignes lues, 1\u202f200 publications ajoutées" in out and "1,200" not in out


def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_posts", str(tmp_path / "absent.csv"))


def test_network_given_on_the_command_line_fills_rows_without_one(programme_tag, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"external_id": "1", "posted_at": "2026-11-23T10:00:00Z", "text": "#AvecPôleEmploi"}\n')
    call_command("import_posts", str(path), "--network", "x")
    assert SocialPost.objects.get().network == "x"


def test_column_names_match_whatever_their_case(programme_tag):
    content = "RESEAU;Id;DATE;Texte\nx;1;23/11/2026 10:00;#AvecPôleEmploi\n"
    job = run(content, mapping={"network": "reseau", "external_id": "ID", "posted_at": "date", "text": "texte"})
    assert job.rows_created == 1


@pytest.mark.parametrize(
    "text,expected",
    [
        ("23/11/2026 14:05", datetime(2026, 11, 23, 14, 5, tzinfo=PARIS)),
        ("23/11/2026 14:05:33", datetime(2026, 11, 23, 14, 5, 33, tzinfo=PARIS)),
        ("23-11-2026 14h05", datetime(2026, 11, 23, 14, 5, tzinfo=PARIS)),
        ("23/11/26 à 14:05", datetime(2026, 11, 23, 14, 5, tzinfo=PARIS)),
        ("23/11/2026", datetime(2026, 11, 23, tzinfo=PARIS)),
        ("2026-11-23T14:05:00Z", datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("UTC"))),
        ("2026-11-23 14:05:00+01:00", datetime(2026, 11, 23, 13, 5, tzinfo=ZoneInfo("UTC"))),
    ],
)
def test_date_formats(text, expected):
    assert importing.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2026", "23/11/2026 25:00", "hier", "2026/13/01", "23/11"])
def test_unreadable_dates(text):
    with pytest.raises(importing.RowRejected):
        importing.parse_date(text)


def test_figures_beyond_the_limit_are_rejected():
    with pytest.raises(importing.RowRejected, match="hors limites"):
        importing.parse_count("likes", "99999999999999999999")
    assert importing.parse_count("likes", "1000000000000000") == 10**15
    assert importing.parse_count("likes", "0" * 16 + "12") == 12  # leading zeros are not a size
    assert importing.parse_count("likes", "0" * 5000 + "12") == 12  # more digits than int() reads
    # Longer than Python's int() reads (4,300 digits): the row is rejected, not the import.
    with pytest.raises(importing.RowRejected, match="hors limites"):
        importing.parse_count("likes", "9" * 5000)


def test_csv_batches_are_checked_column_by_column_exactly_as_row_by_row():
    """The CSV reader checks a batch a column at a time; it must keep, reject and say
    exactly what to_post then ingestion.prepare say of each row, in the same order."""
    import random

    from django.utils import timezone

    from advocacy.reach import ingestion

    candidates = {
        "network": ["x", "twitter", " X ", "", "mastodon", "myspace", "LinkedIn"],
        "external_id": ["1", "2", " 3 ", "", "a" * 301, "4"],
        "posted_at": ["23/11/2026 14:05", "2026-11-23T14:05:00Z", "31/02/2026", "", "23/11/2099 10:00", "01/01/2000"],
        "text": ["Bravo #AvecPôleEmploi", "pas de tag", "", "#avecpoleemploi https://avecpoleemploi.fr/s/abcd1234",
                 "Nul\x00 #AvecPôleEmploi",
                 "＃AvecPoleEmploi", "#123", "Lien https://avecpoleemploi.fr/s/code-99"],
        "url": ["", " https://avecpoleemploi.fr/s/zzzz9999 ", "https://x.com/a/status/1"],
        "author_id": [" 42 ", "", "9" * 120],
        "author_handle": ["@Agence_Rennes", "lea@piaille.fr", "", " bench_author_1 ", "https://x.com/Foo", "@@a"],
        "author_instance": ["", "Piaille.fr"],
        "author_name": [" Léa ", "", "n" * 300, "L\x00éa", "n" * 300 + "\x00"],
        "hashtags": ["", "AvecPoleEmploi", "#a,#AvecPôleEmploi", "＃avecpoleemploi autre"],
        **{name: ["12", "", "1 540", "1,5", "2,0", "-3", "beaucoup", "9" * 19, "1_000", " 7 ", "١٢", "+4", "0",
                  "0" * 16 + "12", "0" * 5000 + "3"]
           for name in importing.NUMBERS},
    }  # fmt: skip
    rng = random.Random(5)
    now = timezone.now()
    # Every column, then a file without the optional ones (their values default).
    for names in (list(candidates), ["network", "external_id", "posted_at", "text", "author_handle", "likes"]):
        for default_network in ("", "x"):
            context = importing.Context(
                mapping={}, default_network=default_network, matcher=ingestion.Matcher(["avecpoleemploi"]),
                now=now, batch_size=400, counting=importing.CountingReader(io.BytesIO()),
            )  # fmt: skip
            positions = {name: index for index, name in enumerate(names)}
            # One parser for several batches, with memories of three values per column:
            # values are found in the recent or the old generation, or parsed again.
            parser = importing.ColumnParser(positions, context)
            parser.networks, parser.dates = importing._Memo(3), importing._Memo(3)
            for size in (1, 7, 400, 400):
                rows = [[rng.choice(candidates[name]) for name in names] for _ in range(size)]
                lines = list(range(2, size + 2))
                batch = parser.batch(rows, lines, [], size)

                posts, kept_lines, expected_rejections = [], [], []
                for line, row in zip(lines, rows, strict=True):
                    try:
                        values = dict(zip(names, row, strict=True))
                        posts.append(importing.to_post(values, default_network=default_network, now=now))
                        kept_lines.append(line)
                    except importing.RowRejected as exc:
                        expected_rejections.append((line, str(exc)))
                skipped = {}
                expected = ingestion.prepare(posts, context.matcher, skipped)
                expected_rejections += [(kept_lines[index], reason) for index, reason in skipped.items()]

                assert batch.rejections == sorted(expected_rejections)
                assert batch.prepared.rows == expected.rows
                assert list(batch.prepared.rows) == list(expected.rows)
                assert batch.prepared.repeated == expected.repeated


def test_tracked_links_are_found_in_the_text_then_in_the_address(programme_tag):
    mapping = {"external_id": "ID", "posted_at": "Date", "text": "Texte", "url": "Adresse"}
    # No text of the file has a tracked link, one address has.
    in_address = (
        "ID;Date;Texte;Adresse\n"
        "1;23/11/2026;Sans lien #AvecPôleEmploi;https://avecpoleemploi.fr/s/adresse1\n"
        "2;23/11/2026;Rien de suivi;https://x.com/a/status/2\n"
        "3;23/11/2026;Bravo #AvecPôleEmploi;\n"
    )
    job = run(in_address, mapping=mapping, network="x")
    assert rejections(job) == [(3, ingestion.NOT_RELEVANT)]
    in_both = "ID;Date;Texte;Adresse\n4;23/11/2026;Lien https://avecpoleemploi.fr/s/texte444;https://avecpoleemploi.fr/s/adresse4\n"
    run(in_both, mapping=mapping, network="x")

    stored = dict(SocialPost.objects.values_list("external_id", "tracked_code"))
    assert stored == {"1": "adresse1", "3": "", "4": "texte444"}


def test_a_date_repeated_in_a_batch_is_parsed_once(monkeypatch):
    """A sorted export repeats each minute over many rows: each text is parsed once."""
    from django.utils import timezone

    parsed = []
    parse_date = importing.parse_date

    def counting(value, **kwargs):
        parsed.append(value)
        return parse_date(value, **kwargs)

    monkeypatch.setattr(importing, "parse_date", counting)
    context = importing.Context(
        mapping={}, default_network="x", matcher=ingestion.Matcher(["avecpoleemploi"]), now=timezone.now(),
        batch_size=500, counting=importing.CountingReader(io.BytesIO()),
    )  # fmt: skip
    parser = importing.ColumnParser({"external_id": 0, "posted_at": 1, "text": 2}, context)
    rows = [[str(i), f"23/11/2026 14:0{i % 2}", "Bravo #AvecPôleEmploi"] for i in range(500)]
    batch = parser.batch(rows, list(range(2, 502)), [], 500)

    assert len(batch.prepared.rows) == 500
    assert sorted(parsed) == ["23/11/2026 14:00", "23/11/2026 14:01"]
