from django.core.management.base import BaseCommand

from secretariat.servicedesk.mail import fetch_mail
from secretariat.servicedesk.models import MailChannel


class Command(BaseCommand):
    help = "Read every desk mailbox once: new mail opens or updates tickets, the rest is quarantined."

    def handle(self, *args, **options):
        for channel in MailChannel.objects.all():
            received = fetch_mail(channel=channel)
            quarantined = sum(1 for message in received if message.status == "quarantined")
            self.stdout.write(f"{channel.address}: {len(received)} read, {quarantined} quarantined")
