"""The import pages: upload, progress polled by htmx, rejected rows; constant query counts."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.reach.models import ImportJob, ImportRejection, SocialPost

CONTENT = (
    "Réseau;ID;Date;Texte;J'aime\n"
    "x;1;23/11/2026 14:05;Bravo #AvecPôleEmploi;3\n"
    "x;2;23/11/2026 14:06;Forum #AvecPoleEmploi;4\n"
    "x;3;pas une date;#AvecPôleEmploi;1\n"
)


def own(captured):
    return [q for q in captured.captured_queries if "reach_" in q["sql"]]


def upload(client, content=CONTENT, mapping="network=Réseau\nexternal_id=ID\nposted_at=Date\ntext=Texte\nlikes=J'aime"):
    return client.post(
        reverse("reach_import_list"),
        {
            "file": SimpleUploadedFile("export.csv", content.encode("utf-8-sig"), content_type="text/csv"),
            "format": "csv",
            "default_network": "",
            "mapping": mapping,
        },
    )


def test_curator_uploads_a_file_and_sees_the_result(client, curator, programme_tag, django_capture_on_commit_callbacks):
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reach_import_detail", args=[job.pk])
    assert job.created_by == curator and job.status == ImportJob.Status.DONE
    assert SocialPost.objects.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Lignes rejetées" in page and "date illisible" in page
    assert "Publications ajoutées : <strong>2</strong>" in page
    assert "hx-get" not in page  # finished: no more polling


def test_a_running_import_is_polled_by_htmx(client, admin_user):
    job = ImportJob.objects.create(original_name="gros.csv", status=ImportJob.Status.RUNNING, bytes_total=1000,
                                   bytes_read=250, rows_read=5000)  # fmt: skip
    client.force_login(admin_user)
    page = client.get(reverse("reach_import_detail", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("reach_import_progress", args=[job.pk])}"' in page
    assert "Aucune ligne rejetée pour l’instant." in page
    # Rows rejected while the page is open come with the next poll, not only on a reload.
    ImportRejection.objects.create(job=job, line=4012, reason="date illisible « hier »")
    ImportJob.objects.filter(pk=job.pk).update(rows_rejected=1)
    fragment = client.get(reverse("reach_import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert 'value="25"' in body and "<html" not in body
    assert "<td>4012</td><td>date illisible « hier »</td>" in body
    assert 'id="import-status"' in body and body.count("hx-get") == 1  # replaces itself, polls once


def test_a_bad_mapping_is_explained_on_the_form(client, curator):
    client.force_login(curator)
    response = upload(client, mapping="pseudo=Auteur")
    assert response.status_code == 200
    assert "Champs inconnus : pseudo" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_missing_required_columns_fails_with_its_reason(client, curator, django_capture_on_commit_callbacks):
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, content="a;b\n1;2\n", mapping="")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert (
        "Colonnes obligatoires absentes" in client.get(reverse("reach_import_detail", args=[job.pk])).content.decode()
    )


def test_import_list_query_count_does_not_grow_with_jobs(client, curator, django_assert_num_queries):
    client.force_login(curator)
    for i in range(3):
        ImportJob.objects.create(original_name=f"f{i}.csv", created_by=curator)
    client.get(reverse("reach_import_list"))  # warm the session and MFA caches
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("reach_import_list"))
    # Ours: the count for the pager and one page of jobs with their authors; the rest
    # is the site's layout (session, person, MFA, banners), the same on every page.
    assert len(own(first)) == 2
    for i in range(20):
        ImportJob.objects.create(original_name=f"g{i}.csv", created_by=curator)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("reach_import_list"))


def test_import_detail_query_count_does_not_grow_with_rejections(client, curator, django_assert_num_queries):
    job = ImportJob.objects.create(original_name="f.csv", created_by=curator, status=ImportJob.Status.DONE)
    ImportRejection.objects.bulk_create(ImportRejection(job=job, line=i, reason="x") for i in range(2, 5))
    client.force_login(curator)
    url = reverse("reach_import_detail", args=[job.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    assert len(own(first)) == 2  # the job, its first rejections
    ImportRejection.objects.bulk_create(ImportRejection(job=job, line=i, reason="x") for i in range(5, 300))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_every_rejected_row_can_be_downloaded(client, curator):
    job = ImportJob.objects.create(original_name="f.csv", created_by=curator, status=ImportJob.Status.DONE)
    ImportRejection.objects.bulk_create(ImportRejection(job=job, line=i, reason=f"motif {i}") for i in range(2, 302))
    client.force_login(curator)
    response = client.get(reverse("reach_import_rejections_csv", args=[job.pk]))
    body = b"".join(response.streaming_content).decode()
    lines = body.splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0] == "ligne;motif" and lines[1] == "2;motif 2" and len(lines) == 301


def test_the_page_says_how_many_rejected_rows_it_lists(client, curator):
    job = ImportJob.objects.create(original_name="f.csv", created_by=curator, status=ImportJob.Status.DONE)
    ImportRejection.objects.bulk_create(ImportRejection(job=job, line=i, reason="x") for i in range(2, 4))
    ImportJob.objects.filter(pk=job.pk).update(rows_rejected=2)
    client.force_login(curator)
    url = reverse("reach_import_detail", args=[job.pk])

    page = client.get(url).content.decode()
    assert "2 lignes rejetées." in page and "premières" not in page

    ImportRejection.objects.bulk_create(ImportRejection(job=job, line=i, reason="x") for i in range(4, 250))
    ImportJob.objects.filter(pk=job.pk).update(rows_rejected=248)
    assert "248 lignes rejetées ; les 200 premières sont listées ici." in client.get(url).content.decode()


def test_the_list_shows_each_imports_state_next_to_its_file(client, curator):
    """On a phone only the first columns fit: the state must be one of them."""
    ImportJob.objects.create(original_name="f.csv", created_by=curator, status=ImportJob.Status.FAILED)
    client.force_login(curator)
    page = client.get(reverse("reach_import_list")).content.decode()
    headers = page.split("<thead>")[1].split("</thead>")[0]
    assert headers.index("Fichier") < headers.index("État") < headers.index("Lancé le")
    row = page.split("<tbody>")[1]
    assert row.index("f.csv") < row.index("Échec") < row.index("/20")
