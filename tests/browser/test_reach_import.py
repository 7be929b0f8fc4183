"""A curator imports an export of a social-listening tool and reads the result."""

from accounts.models import Network
from advocacy.reach import services
from advocacy.reach.models import SocialPost
from tests.accounts.factories import PASSWORD, TOTP_SECRET, UserFactory

CSV = (
    "Réseau;ID;Date;Auteur;Texte;J'aime\n"
    "twitter;9001;23/11/2026 09:05;@Agence_Rennes;Atelier CV #AvecPôleEmploi;12\n"
    "twitter;9002;23/11/2026 09:06;mde_brest;Forum #avecpoleemploi;4\n"
    "twitter;9003;hier;mde_brest;Forum #avecpoleemploi;4\n"
)


def _import(ui, tmp_path, org):
    services.hashtag_save(tag="AvecPôleEmploi")
    curator = UserFactory(email="curatrice@francetravail.example", first_name="Samia", unit=org["dg"], curator=True)
    path = tmp_path / "export-ecoute.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    page = ui.page
    ui.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    ui.goto("/observatoire/imports/")
    assert "Import de publications" in page.content()
    ui.screenshot("1-form")
    page.set_input_files("input[name=file]", str(path))
    page.fill(
        "textarea[name=mapping]",
        "network = Réseau\nexternal_id = ID\nposted_at = Date\nauthor_handle = Auteur\ntext = Texte\nlikes = J'aime",
    )
    page.click("main button:has-text('Importer')")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("text=Terminé")
    content = page.content()
    assert "Publications ajoutées : <strong>2</strong>" in content
    assert "date illisible « hier »" in content
    ui.screenshot("2-result")
    assert SocialPost.objects.filter(network=Network.X).count() == 2


def test_curator_imports_a_file_on_desktop(desktop, org, tmp_path):
    _import(desktop, tmp_path, org)


def test_curator_imports_a_file_on_a_phone(phone, org, tmp_path):
    _import(phone, tmp_path, org)
