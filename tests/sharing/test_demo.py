"""The sharing demo step: shares and clicks on live kits, nothing without kits, idempotent."""

from accounts.demo import seed as accounts_seed
from advocacy.sharing import demo
from advocacy.sharing.models import Click, Share
from tests.sharing.factories import live_kit


def test_demo_step_needs_live_kits_and_runs_once(db, settings):
    context = accounts_seed.seed()
    demo.seed(context)
    assert not Share.objects.exists()  # no live kit yet: nothing to share
    for i in range(3):
        live_kit(title=f"Kit de démonstration {i}")
    demo.seed(context)
    shares, clicks = Share.objects.count(), Click.objects.count()
    assert shares > 0 and clicks > 0
    assert Share.objects.filter(ambassador__email__startswith="ambassadeur@").exists()
    demo.seed(context)
    assert (Share.objects.count(), Click.objects.count()) == (shares, clicks)
