"""One model per module. Scoped records belong to a place or to a whole ICB (``base.Scoped``);
every model keeps its history and a version for optimistic concurrency."""

from placeworks.governance.models.agreement import Agreement
from placeworks.governance.models.agreement_variation import AgreementVariation
from placeworks.governance.models.base import Scoped, Versioned
from placeworks.governance.models.body import Body
from placeworks.governance.models.body_membership import BodyMembership
from placeworks.governance.models.contribution import Contribution
from placeworks.governance.models.decision import Decision
from placeworks.governance.models.delegation import Delegation
from placeworks.governance.models.delegation_transition import DelegationTransition
from placeworks.governance.models.function import Function
from placeworks.governance.models.membership import Membership
from placeworks.governance.models.milestone import Milestone
from placeworks.governance.models.neighbourhood_team import NeighbourhoodTeam
from placeworks.governance.models.nomination import Nomination
from placeworks.governance.models.organisation import Organisation, PermanentRecord
from placeworks.governance.models.partnership import Partnership
from placeworks.governance.models.place import Place
from placeworks.governance.models.pooled_fund import PooledFund
from placeworks.governance.models.post import Post
from placeworks.governance.models.post_holding import PostHolding
from placeworks.governance.models.readiness_assessment import ReadinessAssessment
from placeworks.governance.models.readiness_framework import ReadinessFramework
from placeworks.governance.models.reporting_line import ReportingLine
from placeworks.governance.models.risk import Risk
from placeworks.governance.models.risk_category import RiskCategory
from placeworks.governance.models.risk_matrix import RiskMatrix
from placeworks.governance.models.role import Role
from placeworks.governance.models.service import Service
from placeworks.governance.models.team_role import TeamRole
from placeworks.governance.models.workstream import Workstream

__all__ = [
    "Agreement",
    "AgreementVariation",
    "Body",
    "BodyMembership",
    "Contribution",
    "Decision",
    "Delegation",
    "DelegationTransition",
    "Function",
    "Membership",
    "Milestone",
    "NeighbourhoodTeam",
    "Nomination",
    "Organisation",
    "Partnership",
    "PermanentRecord",
    "Place",
    "PooledFund",
    "Post",
    "PostHolding",
    "ReadinessAssessment",
    "ReadinessFramework",
    "ReportingLine",
    "Risk",
    "RiskCategory",
    "RiskMatrix",
    "Role",
    "Scoped",
    "Service",
    "TeamRole",
    "Versioned",
    "Workstream",
]
