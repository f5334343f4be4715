import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("channel_pricing_inspection_tour", {
    steps: () => [
        {
            content: "Finish the inspection",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_done']",
            run: "click",
            timeout: 30000,
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
            timeout: 30000,
        },
        {
            content: "The inspection is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
            timeout: 30000,
        },
        {
            content: "Open the violations found",
            trigger: "button[name='action_view_violations']",
            run: "click",
            timeout: 30000,
        },
        {
            content: "Open the price violation",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('Price Violation')",
            run: "click",
            timeout: 30000,
        },
        {
            content: "Confirm the violation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
            timeout: 30000,
        },
        {
            content: "The violation is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Confirmed')",
            timeout: 30000,
        },
    ],
});
