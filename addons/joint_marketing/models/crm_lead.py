from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

RECRUIT_SOURCES = [
    ("integrated", "Existing Dealer Integrated"),
    ("targeted", "Targeted Recruitment"),
    ("street", "Street Visits"),
    ("meeting", "Regional Recruitment Meeting"),
]
# Checklist items: (boolean field, points out of 100).
QUALIFICATION_ITEMS = [
    ("channel_qual_licence", 15),
    ("channel_qual_capital", 20),
    ("channel_qual_warehouse", 15),
    ("channel_qual_vehicles", 10),
    ("channel_qual_outlets", 15),
    ("channel_qual_competition", 10),
    ("channel_qual_philosophy", 15),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    channel_recruitment = fields.Boolean(string="Dealer Recruitment", index=True, tracking=True,
                                         help="This lead is a candidate dealer.")
    channel_recruit_source = fields.Selection(RECRUIT_SOURCES, string="Recruitment Source", tracking=True)
    channel_territory_id = fields.Many2one("channel.territory", string="Candidate Territory", index=True,
                                           tracking=True)
    channel_tier_id = fields.Many2one("channel.tier", string="Intended Tier")
    # Qualification checklist
    channel_qual_licence = fields.Boolean(string="Valid Business Licence")
    channel_qual_capital = fields.Boolean(string="Sufficient Capital")
    channel_capital = fields.Monetary(string="Working Capital", currency_field="company_currency")
    channel_qual_warehouse = fields.Boolean(string="Suitable Warehouse")
    channel_warehouse_area = fields.Float(string="Warehouse (m²)")
    channel_qual_vehicles = fields.Boolean(string="Delivery Vehicles")
    channel_vehicle_count = fields.Integer(string="Vehicles")
    channel_qual_outlets = fields.Boolean(string="Outlets Covered")
    channel_outlet_count = fields.Integer(string="Outlets")
    channel_qual_competition = fields.Boolean(string="No Conflicting Competing Brands")
    channel_competing_brands = fields.Char(string="Competing Brands Carried")
    channel_qual_philosophy = fields.Boolean(string="Business Philosophy Fits")
    channel_qualification_score = fields.Integer(
        string="Qualification Score", compute="_compute_channel_qualification_score", store=True,
        help="Points of the checklist items met, out of 100.",
    )
    channel_inspection_date = fields.Date(string="Site Inspection on")
    channel_inspection_notes = fields.Html(string="Site-inspection Notes")
    channel_agreement_id = fields.Many2one("channel.agreement", string="Draft Agreement", readonly=True, copy=False)

    @api.depends(*[item for item, _points in QUALIFICATION_ITEMS])
    def _compute_channel_qualification_score(self):
        for lead in self:
            lead.channel_qualification_score = sum(points for item, points in QUALIFICATION_ITEMS if lead[item])

    def _prepare_channel_dealer_vals(self):
        self.ensure_one()
        vals = {"channel_role": "dealer", "is_company": True}
        if self.channel_territory_id:
            vals["channel_territory_id"] = self.channel_territory_id.id
        if self.channel_tier_id:
            vals["channel_tier_id"] = self.channel_tier_id.id
        return vals

    def _prepare_channel_agreement_vals(self, dealer):
        self.ensure_one()
        today = fields.Date.context_today(self)
        return {
            "dealer_id": dealer.id,
            "territory_id": dealer.channel_territory_id.id,
            "date_start": today,
            "date_end": today + relativedelta(years=1) - timedelta(days=1),
            "exclusive": False,
            "company_id": self.company_id.id or self.env.company.id,
        }

    def action_channel_convert(self):
        """Convert to dealer: create (or update) the lead's company as an active dealer of its
        territory and tier, and prepare a draft agreement; opens the agreement."""
        self.env["res.users"]._channel_check_internal_caller()
        agreements = self.env["channel.agreement"]
        for lead in self:
            if not lead.channel_recruitment:
                raise UserError(self.env._("%s is not a dealer recruitment lead.", lead.display_name))
            if not lead.channel_territory_id and not lead.partner_id.commercial_partner_id.channel_territory_id:
                raise UserError(self.env._("Choose the territory of %s before converting it.", lead.display_name))
            if not lead.partner_id:
                lead._handle_partner_assignment(create_missing=True)
            dealer = lead.partner_id.commercial_partner_id
            if not dealer.is_company and not dealer.parent_id and lead.partner_name:
                dealer = self.env["res.partner"].create({"name": lead.partner_name, "is_company": True})
                lead.partner_id.parent_id = dealer
            if dealer.channel_role and dealer.channel_role != "dealer":
                raise UserError(self.env._("%s is already in the channel as another role.", dealer.display_name))
            dealer.write(lead._prepare_channel_dealer_vals())
            if dealer.channel_state != "active":
                dealer.channel_state = "active"
            agreement = lead.channel_agreement_id
            if not agreement or agreement.state != "draft":
                agreement = self.env["channel.agreement"].create(lead._prepare_channel_agreement_vals(dealer))
                lead.channel_agreement_id = agreement
            lead.message_post(body=self.env._("Converted to the dealer %(dealer)s; draft agreement %(agreement)s.",
                                     dealer=dealer.display_name, agreement=agreement.name))
            agreements |= agreement
        if len(agreements) == 1:
            return {"type": "ir.actions.act_window", "res_model": "channel.agreement", "res_id": agreements.id,
                    "view_mode": "form"}
        return {"type": "ir.actions.act_window", "res_model": "channel.agreement", "view_mode": "list,form",
                "domain": [("id", "in", agreements.ids)]}
