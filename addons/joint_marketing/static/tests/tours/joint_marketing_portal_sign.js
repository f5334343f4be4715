/** @odoo-module **/

import { registry } from "@web/core/registry";

// Data created by the Python test: an agreement awaiting the logged-in dealer's signature.
registry.category("web_tour.tours").add("joint_marketing_portal_sign", {
    steps: () => [
        {
            content: "open the signature dialog",
            trigger: "a.o_channel_agreement_sign",
            run: "click",
        },
        {
            content: "the name is filled in, the signature drawn from it",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "the signature is recorded",
            trigger: ".alert-success:contains(signature is recorded)",
        },
        {
            content: "the dealer's signature is shown",
            trigger: ".o_agreement_signature[data-party='dealer'] img",
        },
    ],
});
