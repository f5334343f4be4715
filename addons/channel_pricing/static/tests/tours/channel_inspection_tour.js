import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("channel_pricing_inspection_tour", {
    steps: () => [
        {
            content: "Finish the inspection",
            trigger: ".o_form_view button[name='action_done']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The inspection is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "Open the violations found",
            trigger: "button[name='action_view_violations']",
            run: "click",
        },
        {
            content: "Open the price violation",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('Price Violation')",
            run: "click",
        },
        {
            content: "Confirm the violation",
            trigger: ".o_form_view button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The violation is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Confirmed')",
        },
    ],
});
