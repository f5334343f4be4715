import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("channel_orders_dealer_order", {
    url: "/web/login",
    steps: () => [
        {
            content: "Type the dealer's login",
            trigger: "input[name='login']",
            run: "edit co_dealer",
        },
        {
            content: "Type the password",
            trigger: "input[name='password']",
            run: "edit co_dealer",
        },
        {
            content: "Log in",
            trigger: "button[type='submit']",
            run: "click",
        },
        {
            content: "Open the quick order page from the portal home",
            trigger: "a[href='/my/channel/order']",
            run: "click",
        },
        {
            content: "Order 12 bottles of green tea",
            trigger: "tr[data-default-code='CO-A'] input.o_channel_qty",
            run: "edit 12",
        },
        {
            content: "Add them to the cart",
            trigger: "button.o_channel_order_update",
            run: "click",
        },
        {
            content: "The cart is saved",
            trigger: ".o_channel_order_note",
        },
        {
            content: "Review the cart",
            trigger: "a.o_channel_cart_link",
            run: "click",
        },
        {
            content: "The line is in the cart",
            trigger: "tr.o_channel_cart_line[data-default-code='CO-A']",
        },
        {
            content: "Submit the order",
            trigger: "button.o_channel_cart_submit",
            run: "click",
        },
        {
            content: "The order waits for sales approval",
            trigger: ".o_channel_submitted",
        },
        {
            trigger: ".o_channel_state[data-state='to_sales']",
        },
    ],
});

registry.category("web_tour.tours").add("channel_orders_dealer_receipt", {
    url: "/my/channel/orders",
    steps: () => [
        {
            content: "Open the shipped order",
            trigger: "tr.o_channel_order_list_row a",
            run: "click",
        },
        {
            content: "Note a discrepancy",
            trigger: "textarea[name='note']",
            run: "edit One case damaged",
        },
        {
            content: "Confirm the receipt",
            trigger: "button.o_channel_confirm_receipt",
            run: "click",
        },
        {
            content: "The order is received",
            trigger: ".o_channel_state[data-state='received']",
        },
    ],
});
