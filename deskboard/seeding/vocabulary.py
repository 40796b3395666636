"""Hand-written help-desk material: categories with their subjects, sentences and tags, replies,
and the policies (priority mix, due dates) the generator draws from.

Placeholders in braces are filled from the pools in `FILLERS` (or the requester's name), so a
few hundred templates give millions of distinct, believable tickets.
"""

from dataclasses import dataclass
from datetime import timedelta

# The fixed tag vocabulary: every seeded tag is one of these.
TAGS = (
    "vpn",
    "printer",
    "billing",
    "onboarding",
    "vip",
    "hardware",
    "email",
    "access",
    "bug",
    "feature",
)

PRIORITY_WEIGHTS = {"low": 20, "normal": 55, "high": 20, "urgent": 5}

# Due date policy per priority (the same one analytics flags overdue against).
DUE_POLICY = {
    "urgent": timedelta(hours=4),
    "high": timedelta(days=1),
    "normal": timedelta(days=3),
    "low": timedelta(days=7),
}

# Typical time to a first public reply and to resolution, per priority (medians, in hours).
FIRST_RESPONSE_HOURS = {"urgent": 0.5, "high": 2.0, "normal": 6.0, "low": 20.0}
RESOLUTION_HOURS = {"urgent": 6.0, "high": 30.0, "normal": 72.0, "low": 160.0}


@dataclass(frozen=True)
class Category:
    """A kind of request: its tag, related tags, how often it comes in, subjects and sentences."""

    tag: str
    weight: int
    related: tuple[str, ...]
    subjects: tuple[str, ...]
    details: tuple[str, ...]


CATEGORIES = (
    Category(
        tag="vpn",
        weight=14,
        related=("access", "hardware"),
        subjects=(
            "VPN drops every {minutes} minutes",
            "Cannot connect to VPN from the {city} office",
            "VPN asks me to sign in again every hour",
            "VPN very slow on hotel Wi-Fi",
            "Split tunnel not working for {app}",
            "VPN client error 809 after the latest update",
            "Remote desktop unreachable over VPN",
        ),
        details=(
            "The VPN client shows connected, but after about {minutes} minutes nothing loads.",
            "I am working from the {city} office and the tunnel never comes up.",
            "Reconnecting works for a while, then the connection drops again.",
            "It started after the client updated itself on {weekday}.",
            "Colleagues on the same network do not seem to have the problem.",
            "I tried both the wired network and Wi-Fi, same result.",
        ),
    ),
    Category(
        tag="printer",
        weight=10,
        related=("hardware",),
        subjects=(
            "Printer on floor {floor} jams on double-sided jobs",
            "{printer} prints blank pages",
            "Cannot add {printer} to my laptop",
            "Scan to email stopped working on {printer}",
            "{printer} shows offline for everyone on floor {floor}",
            "Toner replacement needed for {printer}",
        ),
        details=(
            "The {printer} near the kitchen on floor {floor} keeps jamming.",
            "Jobs sit in the queue and then disappear without printing.",
            "The display says paper jam in tray 2, but the tray is empty.",
            "Scanned documents never arrive in my inbox.",
            "We have a client meeting at {hour} and need printed handouts.",
        ),
    ),
    Category(
        tag="billing",
        weight=12,
        related=("vip",),
        subjects=(
            "Invoice #{invoice} shows wrong VAT",
            "Charged twice for order #{order}",
            "Need a copy of invoice #{invoice}",
            "Credit note for invoice #{invoice} not received",
            "Update billing address for {company}",
            "Payment for invoice #{invoice} marked as overdue",
            "Refund for order #{order} still pending",
        ),
        details=(
            "Invoice #{invoice} applies {vat}% VAT, but we are VAT registered in {country}.",
            "Our card was charged twice on {weekday} for the same order.",
            "Our finance team needs the corrected invoice before month end.",
            "The billing contact for {company} has changed to our accounts payable address.",
            "We paid by bank transfer on {weekday}; the reference was {order}.",
            "Please send the credit note as a PDF so we can book it.",
        ),
    ),
    Category(
        tag="onboarding",
        weight=8,
        related=("access", "hardware"),
        subjects=(
            "New starter {person} needs laptop and accounts",
            "Onboarding checklist for {person} ({team})",
            "Access badge for new hire {person}",
            "Set up email and calendar for {person}",
            "{person} starts on {weekday}: equipment request",
        ),
        details=(
            "{person} joins the {team} team on {weekday} and needs a laptop, email and chat.",
            "Please add them to the {team} distribution list and shared drive.",
            "They will need access to {app} from day one.",
            "A second monitor and a headset would be great too.",
            "Their manager is {manager}, who can approve the requests.",
        ),
    ),
    Category(
        tag="email",
        weight=12,
        related=("access",),
        subjects=(
            "Outlook keeps asking for my password",
            "Emails to {company} bounce with 550",
            "Shared mailbox for {team} not showing",
            "Calendar invites arrive twice",
            "Large attachments rejected when sending",
            "Out of office reply not sent to external senders",
        ),
        details=(
            "Every few minutes Outlook pops up a sign-in window, even after I enter the password.",
            "Messages to {company} come back with 550 5.7.1 relaying denied.",
            "The {team} shared mailbox disappeared from my folder list on {weekday}.",
            "Meeting invitations from {manager} arrive twice and I cannot accept either.",
            "Attachments above 20 MB are refused, the limit used to be higher.",
        ),
    ),
    Category(
        tag="access",
        weight=14,
        related=("onboarding", "vpn"),
        subjects=(
            "Request access to {app}",
            "Locked out of {app} after password reset",
            "MFA codes not accepted",
            "Need admin rights to install {software}",
            "Remove access for leaver {person}",
            "Read-only access to the {team} drive",
        ),
        details=(
            "I need access to {app} for the {team} project starting {weekday}.",
            "After resetting my password I get 'account locked' in {app}.",
            "The authenticator app codes are rejected, the clock on my phone is correct.",
            "{software} needs administrator rights to install; my manager {manager} approved it.",
            "{person} left the company on {weekday}; please disable their accounts.",
        ),
    ),
    Category(
        tag="hardware",
        weight=10,
        related=("vip",),
        subjects=(
            "Laptop battery drains in {hours} hours",
            "Second monitor flickers",
            "Keyboard keys sticking on my {laptop}",
            "Docking station not detecting displays",
            "Laptop overheating during video calls",
            "Replacement charger for {laptop}",
        ),
        details=(
            "My {laptop} battery lasts only {hours} hours even on power saving mode.",
            "The external monitor flickers every few seconds when connected through the dock.",
            "The fan is very loud and the laptop gets hot during calls in {app}.",
            "I dropped the charger and it no longer works.",
            "The dock worked until {weekday}, now neither screen is detected.",
        ),
    ),
    Category(
        tag="bug",
        weight=12,
        related=("feature",),
        subjects=(
            "{app} crashes when exporting to PDF",
            "Error 500 when saving a report in {app}",
            "Dashboard shows stale numbers since {weekday}",
            "Search in {app} returns no results",
            "Date picker in {app} shows the wrong month",
            "Sync between {app} and {app2} stopped",
        ),
        details=(
            "Steps: open a report in {app}, choose Export, pick PDF; the window closes.",
            "Saving fails with an internal server error, request id {request_id}.",
            "The numbers have not changed since {weekday} although new orders came in.",
            "Searching for a customer name that exists returns nothing.",
            "It happens in both Chrome and Firefox; clearing the cache did not help.",
            "The last successful sync between {app} and {app2} was on {weekday}.",
        ),
    ),
    Category(
        tag="feature",
        weight=8,
        related=("bug",),
        subjects=(
            "Please add dark mode to {app}",
            "Export tickets to CSV",
            "Feature request: bulk edit in {app}",
            "Allow single sign-on with {idp}",
            "Add a due date column to the {team} report",
        ),
        details=(
            "Our {team} team spends hours each week doing this by hand.",
            "It would help if {app} could do this natively instead of through spreadsheets.",
            "Single sign-on through {idp} is required by our security policy.",
            "Several colleagues asked for this at the last {team} meeting.",
        ),
    ),
)

OPENINGS = ("Hi team,", "Hello,", "Hi support,", "Good morning,", "Hi,", "Dear help desk,")
IMPACTS = (
    "This blocks my work today.",
    "Not urgent, but it is getting annoying.",
    "Three people on my team are affected.",
    "A customer is waiting on this.",
    "I have a deadline on {weekday}.",
    "Happy to do a screen share if that helps.",
)
CLOSINGS = ("Thanks,", "Many thanks,", "Best regards,", "Cheers,", "Kind regards,")

AGENT_REPLIES = (
    "Thanks {first}, I am looking into this now.",
    "Could you send a screenshot of the error message?",
    "I have reset the configuration on our side, please try again and let me know.",
    "This is a known issue, a fix is being rolled out this week.",
    "I have raised this with the vendor and will update you as soon as I hear back.",
    "Can you confirm whether this still happens after a restart?",
    "Done: the change is in place, it may take up to an hour to apply.",
)
REQUESTER_REPLIES = (
    "Still happening this morning, unfortunately.",
    "Screenshot attached, the error appears right after I click save.",
    "That fixed it, thanks a lot!",
    "It works again, you can close this.",
    "Restarted twice, no change.",
    "Any update on this? It is starting to affect the team.",
)
INTERNAL_NOTES = (
    "Escalated to the network team, see change {change}.",
    "Known issue with firmware 2.{minutes}, workaround in KB-{kb}.",
    "Customer is on the premium plan: keep them posted daily.",
    "Checked the logs, failures line up with the certificate rotation.",
    "Waiting on the vendor, case {request_id}.",
    "Duplicate of an earlier ticket from the same team, merging the updates here.",
)

# Pools the placeholders draw from (names and companies come from faker at start-up).
FILLERS: dict[str, tuple[str, ...]] = {
    "app": (
        "Salesforce",
        "Jira",
        "Confluence",
        "SAP",
        "Workday",
        "Slack",
        "Teams",
        "Zoom",
        "HubSpot",
        "NetSuite",
        "Tableau",
        "the intranet",
        "the expense tool",
        "the CRM",
    ),
    "software": ("Visual Studio Code", "Docker Desktop", "Tableau Desktop", "Power BI", "Figma"),
    "printer": (
        "the HP LaserJet M404",
        "the Canon imageRUNNER",
        "the Brother HL-L5100",
        "the Xerox VersaLink",
        "the Ricoh MP C3004",
    ),
    "laptop": ("ThinkPad T14", "MacBook Pro", "Dell Latitude 7440", "HP EliteBook 840"),
    "idp": ("Okta", "Azure AD", "Google Workspace", "OneLogin"),
    "team": ("Finance", "Sales", "Marketing", "Legal", "Support", "Engineering", "HR", "Ops"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "country": ("Germany", "France", "the Netherlands", "Ireland", "Spain", "Sweden"),
    "hour": ("9:00", "10:30", "11:00", "14:00", "15:30", "16:00"),
    "vat": ("0", "7", "19", "20", "21", "25"),
    "floor": ("1", "2", "3", "4", "5", "6"),
    "hours": ("1", "2", "3"),
}
