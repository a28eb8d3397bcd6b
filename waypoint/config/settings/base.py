"""Settings shared by every environment. Values that differ come from the environment."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from waypoint.config.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env_str("WAYPOINT_SECRET_KEY", "insecure-local-only-key-change-me")
DEBUG = env_bool("WAYPOINT_DEBUG", False)
ALLOWED_HOSTS = env_list("WAYPOINT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

WAYPOINT_APPS = [
    "waypoint.core",
    "waypoint.accounts",
    "waypoint.patients",
    "waypoint.access",
    "waypoint.audit",
    "waypoint.clocks",
    "waypoint.referrals",
    "waypoint.episodes",
    "waypoint.duty",
    "waypoint.assessments",
    "waypoint.risk",
    "waypoint.plans",
    "waypoint.reviews",
    "waypoint.contacts",
    "waypoint.notes",
    "waypoint.tasks",
    "waypoint.worklist",
    "waypoint.workforce",
    "waypoint.measures",
    "waypoint.fhir",
    "waypoint.legal",
    "waypoint.medicines",
    "waypoint.safeguarding",
    "waypoint.incidents",
    "waypoint.meetings",
    "waypoint.jobs",
    "waypoint.reports",
    "waypoint.offline",
    "waypoint.continuity",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "oauth2_provider",
    "django_tasks",
    "django_tasks_db",
    *WAYPOINT_APPS,
]

# Order matters: NoStore wraps everything (redirects to sign-in included); messages come before the
# session lifetime check, which leaves a "you were signed out" message for the sign-in page.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "waypoint.accounts.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "waypoint.core.middleware.StripNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "waypoint.accounts.middleware.SessionLifetimeMiddleware",
    "waypoint.accounts.middleware.SignInRequiredMiddleware",
    "waypoint.measures.handover.HandoverLockMiddleware",  # a device handed to the person shows only its questionnaire
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "waypoint.access.middleware.PermissionRefusedMiddleware",  # a refused action: a plain page, typing kept
    "waypoint.continuity.middleware.ReadOnlyMiddleware",  # read-only mode: every write refused, typing kept
]

ROOT_URLCONF = "waypoint.config.urls"
WSGI_APPLICATION = "waypoint.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "waypoint" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "waypoint.config.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "waypoint.config.context_processors.layout",
            ],
        },
    },
    {
        # Django's own templates, for the admin pages only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database(str(VAR_DIR / "waypoint.sqlite3"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler starts when a plan's estimated cost is high, and then spends more
    # time compiling than Waypoint's short queries take to run (a report at 5,000 people: 418 of its
    # 690 ms were JIT; docs/reports.md). Off for Waypoint's own connections.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "waypoint.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "patients:search"

# Sessions: a new session key on sign-in (Django's login), an idle timeout and an absolute lifetime.
WAYPOINT_IDLE_TIMEOUT_MINUTES = env_int("WAYPOINT_IDLE_TIMEOUT_MINUTES", 30, maximum=24 * 60)
WAYPOINT_SESSION_MAX_HOURS = env_int("WAYPOINT_SESSION_MAX_HOURS", 12, maximum=7 * 24)
SESSION_COOKIE_AGE = WAYPOINT_SESSION_MAX_HOURS * 3600
# The session is saved only when it changes (never on every request): the idle clock is moved on
# at most this often (waypoint/accounts/middleware.py), so a page view does not write the database.
SESSION_SAVE_EVERY_REQUEST = False
WAYPOINT_SESSION_TOUCH_SECONDS = env_int("WAYPOINT_SESSION_TOUCH_SECONDS", 60, maximum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Multi-factor sign-in (django-otp): a code from an authenticator app (TOTP) after the password,
# with recovery codes. Required for every account unless switched off; local, demo and test
# settings switch it off, and every page then says so.
WAYPOINT_MFA_REQUIRED = env_bool("WAYPOINT_MFA_REQUIRED", True)
OTP_TOTP_ISSUER = "Waypoint"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP secret or its QR code
WAYPOINT_RECOVERY_CODES = 10
# The password step is good for this long while the next steps (new password, code) are done.
WAYPOINT_SIGN_IN_STEP_MINUTES = 10

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("WAYPOINT_SIGN_IN_FAILURE_LIMIT", 5, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("WAYPOINT_SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_CALLABLE = "waypoint.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True

# Break-glass: how long emergency access lasts.
WAYPOINT_BREAK_GLASS_MINUTES = env_int("WAYPOINT_BREAK_GLASS_MINUTES", 120, maximum=24 * 60)
# Tracing a person outside one's relationships: at most this many traces per member of staff in
# this many minutes (counted in the default cache; see waypoint/patients/trace.py).
WAYPOINT_TRACE_LIMIT = env_int("WAYPOINT_TRACE_LIMIT", 10, maximum=1000)
WAYPOINT_TRACE_WINDOW_MINUTES = env_int("WAYPOINT_TRACE_WINDOW_MINUTES", 15, maximum=24 * 60)
# After an episode of care closes, its team keeps access for this many days (letters, follow-up).
# A Trust's changes to what each role may do (TOML, see docs/permissions.md); empty: the defaults.
WAYPOINT_PERMISSIONS_FILE = env_str("WAYPOINT_PERMISSIONS_FILE", "")
# Days after care coordination starts by which a missing risk formulation or safety plan is "Overdue"
# (before then it is "Due soon", with that date); 0 switches this off (missing stays "Due soon").
WAYPOINT_SAFETY_ITEMS_DAYS = env_int("WAYPOINT_SAFETY_ITEMS_DAYS", 14, minimum=0, maximum=365)
WAYPOINT_EPISODE_GRACE_DAYS = env_int("WAYPOINT_EPISODE_GRACE_DAYS", 28, minimum=0, maximum=365)
# Care plan and CPA reviews are due at least this often.
WAYPOINT_REVIEW_INTERVAL_MONTHS = env_int("WAYPOINT_REVIEW_INTERVAL_MONTHS", 12, maximum=24)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("waypoint", BASE_DIR / "waypoint" / "static"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# NHS.UK frontend's CSS loads the Frutiger font from assets.nhs.uk, which NHS organisations may use:
# allowed unless the Trust turns it off: then pages add waypoint/no-nhs-font.css (Arial), so nothing
# uses the font and the browser never asks for it.
WAYPOINT_NHS_FONT = env_bool("WAYPOINT_NHS_FONT", True)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, *(["https://assets.nhs.uk"] if WAYPOINT_NHS_FONT else [])],
        "connect-src": [SELF],
        # The offline visit day (waypoint/offline): its service worker and web app manifest.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

WAYPOINT_SERVICE_NAME = "Waypoint"
WAYPOINT_DEMO = False

# django-axes locks out by username. Locking by IP address as well would lock a whole Trust out at
# once, because staff share a few outbound addresses; so its warning about IP addresses is silenced.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Outcome measures: licensed packs a Trust switches on ("honos=<licence>, swemwbs=<licence>"), and
# the file of full item text it holds (never in the repository). See waypoint/measures/licences.py.
WAYPOINT_MEASURE_LICENCES = env_str("WAYPOINT_MEASURE_LICENCES", "")
WAYPOINT_MEASURE_ITEM_TEXT = env_str("WAYPOINT_MEASURE_ITEM_TEXT", "")
# OAuth 2.0 for the FHIR API (django-oauth-toolkit): authorization code with PKCE for staff, client
# credentials for registered system clients; one read scope per resource type (waypoint/fhir/auth.py).
OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 15 * 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 8 * 60 * 60,
    "ROTATE_REFRESH_TOKEN": True,
    "SCOPES_BACKEND_CLASS": "waypoint.fhir.scopes.WaypointScopes",
    "SCOPES": {
        f"{kind}/{resource}.read": f"Read {resource} ({'as the signed-in member of staff' if kind == 'user' else 'as a system client'})"
        for kind in ("user", "system")
        for resource in (
            "Patient",
            "EpisodeOfCare",
            "Flag",
            "RelatedPerson",
            "CarePlan",
            "Encounter",
            "Appointment",
            "Task",
            "Observation",
            "QuestionnaireResponse",
            "MedicationStatement",
            "MedicationAdministration",
            "AuditEvent",
        )
    },
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # named, so migrations can refer to it
# A depot dose more than this many days past its due date is escalated to the care coordinator.
WAYPOINT_DEPOT_ESCALATE_AFTER_DAYS = env_int("WAYPOINT_DEPOT_ESCALATE_AFTER_DAYS", 7, maximum=90)
# Background work (ADR 0015): django-tasks with its database backend, run by `manage.py db_worker`
# (`make demo` starts one). The test settings run tasks at once (the immediate backend).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Continuity (issue 17, docs/continuity.md). Read-only mode: on when WAYPOINT_READ_ONLY is true or
# when the flag file exists (`manage.py read_only on|off|status`); a file, so that it can be turned
# on while the database refuses writes. Views audited while the database refuses the row go to the
# spool (JSON lines, appended) until `manage.py load_audit_spool`. Downtime packs: one encrypted
# file per team (age format), for the age public keys ("age1...") of the Trust's key holders.
WAYPOINT_READ_ONLY = env_bool("WAYPOINT_READ_ONLY", False)
WAYPOINT_READ_ONLY_FILE = env_str("WAYPOINT_READ_ONLY_FILE", str(VAR_DIR / "read-only.json"))
WAYPOINT_AUDIT_SPOOL = env_str("WAYPOINT_AUDIT_SPOOL", str(VAR_DIR / "audit-spool.jsonl"))
WAYPOINT_DOWNTIME_PACK_DIR = env_str("WAYPOINT_DOWNTIME_PACK_DIR", str(VAR_DIR / "downtime-packs"))
WAYPOINT_DOWNTIME_PACK_RECIPIENTS = env_list("WAYPOINT_DOWNTIME_PACK_RECIPIENTS", [])
WAYPOINT_DOWNTIME_PACK_MAX_AGE_HOURS = env_int("WAYPOINT_DOWNTIME_PACK_MAX_AGE_HOURS", 24, maximum=24 * 7)
