import re

from cchc_portal.alerts import services, targets
from cchc_portal.alerts.models import Subscriber


def link(text: str, path_part: str) -> str:
    """The path of the first link in a mail containing `path_part`."""
    match = re.search(
        r"https://[^\s\"<>]*" + re.escape(path_part) + r"[^\s\"<>]*", text
    )
    assert match, f"no {path_part} link in:\n{text}"
    return match.group(0).removeprefix("https://cchc.example.gov.vn")


def confirmed(email: str, query: dict, frequency: str = "ngay") -> Subscriber:
    """A confirmed subscriber following the target `query` names."""
    target = targets.target_from(query)
    services.subscription_request(email=email, target=target, frequency=frequency)
    subscriber = Subscriber.objects.get(email=email)
    services.subscriptions_confirm(
        subscriber=subscriber,
        ids=list(subscriber.subscriptions.values_list("pk", flat=True)),
    )
    return subscriber
