from odoo import api, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    @api.model_create_multi
    def create(self, vals_list):
        inputs = super().create(vals_list)
        inputs.filtered(lambda i: i.state == "done")._refresh_training_statuses()
        return inputs

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "done" or "scoring_success" in vals:
            self._refresh_training_statuses()
        return res

    def _refresh_training_statuses(self):
        passed = self.filtered(lambda i: i.partner_id and i.survey_id.certification and not i.test_entry)
        if passed:
            self.env["dealer.training.status"]._refresh_for(passed.partner_id, surveys=passed.survey_id)
