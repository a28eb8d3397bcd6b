"""Write every team's downtime pack (docs/continuity.md). Schedule it daily (cron or a systemd
timer) and after any big change to a team's caseload:

    manage.py downtime_packs             # build them now, in this process
    manage.py downtime_packs --enqueue   # or leave it to the task worker (manage.py db_worker)
    manage.py downtime_packs --team 3    # one team only

It needs WAYPOINT_DOWNTIME_PACK_RECIPIENTS (the Trust's age public keys). It writes files only,
never the database, so it also runs while Waypoint is read-only.
"""

from django.core.management.base import BaseCommand, CommandError

from waypoint.accounts.models import Team
from waypoint.continuity import packs
from waypoint.continuity.tasks import build_downtime_packs


class Command(BaseCommand):
    help = "Write each team's encrypted downtime pack (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Put the job on the task queue instead.")
        parser.add_argument("--team", type=int, help="Only this team (its id).")

    def handle(self, *args, enqueue=False, team=None, **options):
        if enqueue:
            result = build_downtime_packs.enqueue()
            self.stdout.write(f"Downtime packs queued (task {result.id}).")
            return
        try:
            if team is not None:
                chosen = Team.objects.filter(pk=team).first()
                if chosen is None:
                    raise CommandError(f"No team with id {team}.")
                built = [packs.build_pack(chosen)]
            else:
                built = packs.build_all()
        except packs.NoRecipients as error:
            raise CommandError(str(error)) from None
        for info in built:
            self.stdout.write(
                f"{info.team_name}: {info.people} {'person' if info.people == 1 else 'people'}, {info.path}"
            )
        self.stdout.write(f"Wrote {len(built)} downtime {'pack' if len(built) == 1 else 'packs'}.")
