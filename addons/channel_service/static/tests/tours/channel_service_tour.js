/** @odoo-module **/

import { registry } from "@web/core/registry";

// A dealer on a phone (390 px wide): files a request, reads it, then the "who handles what" page.
// No page of the flow may scroll sideways.
function fitsTheScreen(label) {
    return {
        content: `${label}: nothing wider than the screen`,
        trigger: "body",
        run() {
            const root = document.documentElement;
            if (root.scrollWidth > window.innerWidth + 1) {
                throw new Error(`${label} is ${root.scrollWidth}px wide on a ${window.innerWidth}px screen`);
            }
        },
    };
}

registry.category("web_tour.tours").add("channel_service_phone_tour", {
    url: "/my/channel/requests",
    steps: () => [
        fitsTheScreen("The request list"),
        {
            content: "Open the new request form",
            trigger: "a.o_service_new",
            run: "click",
        },
        {
            content: "Choose the kind of request",
            trigger: "select[name=type_id]",
            run: "selectByLabel Tour logistics",
        },
        {
            trigger: "input[name=subject]",
            run: "edit Six cartons broken",
        },
        {
            trigger: "textarea[name=description]",
            run: "edit Delivered yesterday, photos follow.",
        },
        fitsTheScreen("The new request form"),
        {
            content: "Send the request",
            trigger: ".o_service_request_form button[type=submit]",
            run: "click",
        },
        {
            content: "The request is filed and routed",
            trigger: ".o_service_created",
        },
        {
            trigger: ".o_service_responsible:contains('Tour Logistics Desk')",
        },
        {
            trigger: "#discussion",
        },
        fitsTheScreen("The request page"),
        {
            content: "Back to the list",
            trigger: ".breadcrumb a[href='/my/channel/requests']",
            run: "click",
        },
        {
            trigger: ".o_service_request_row:contains('Six cartons broken')",
        },
        {
            content: "Who handles what",
            trigger: "a.o_service_contacts_link",
            run: "click",
        },
        {
            trigger: ".o_service_contact_name:contains('Tour logistics')",
        },
        {
            trigger: ".o_service_contact_salesperson",
        },
        fitsTheScreen("The contacts page"),
    ],
});
