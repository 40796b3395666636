"""Import every domain's models so Alembic and the metadata see all tables."""

from deskboard.analytics import models as analytics_models  # noqa: F401
from deskboard.apitokens import models as api_token_models  # noqa: F401
from deskboard.attachments import models as attachment_models  # noqa: F401
from deskboard.audit import models as audit_models  # noqa: F401
from deskboard.auth import models as auth_models  # noqa: F401
from deskboard.automations import models as automation_models  # noqa: F401
from deskboard.db import Base
from deskboard.idempotency import models as idempotency_models  # noqa: F401
from deskboard.layouts import models as layout_models  # noqa: F401
from deskboard.mail import models as mail_models  # noqa: F401
from deskboard.notifications import models as notification_models  # noqa: F401
from deskboard.plugins import models as plugin_models  # noqa: F401
from deskboard.realtime import models as realtime_models  # noqa: F401
from deskboard.replies import models as reply_models  # noqa: F401
from deskboard.sla import models as sla_models  # noqa: F401
from deskboard.teams import models as team_models  # noqa: F401
from deskboard.tickets import models as ticket_models  # noqa: F401
from deskboard.views import models as view_models  # noqa: F401
from deskboard.webhooks import models as webhook_models  # noqa: F401

metadata = Base.metadata
