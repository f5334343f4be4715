import { registry } from "@web/core/registry";

/** A step failing the tour when the page (or one of its order tables) scrolls sideways. */
function noSidewaysScroll(page, trigger) {
    return {
        content: `${page}: nothing sticks out of the screen`,
        trigger,
        run() {
            const width = window.innerWidth;
            const pageWidth = document.documentElement.scrollWidth;
            if (pageWidth > width) {
                throw new Error(`${page} scrolls sideways: ${pageWidth}px of content for a ${width}px window`);
            }
            for (const wrapper of document.querySelectorAll(".o_channel_row_cards")) {
                if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
                    throw new Error(`${page}: a table scrolls sideways (${wrapper.scrollWidth}px in ${wrapper.clientWidth}px)`);
                }
            }
        },
    };
}

/** A step failing the tour unless ``selector`` holds ``value``. */
function hasValue(content, selector, value) {
    return {
        content,
        trigger: selector,
        run() {
            const input = document.querySelector(selector);
            if (input.value !== value) {
                throw new Error(`${selector} holds “${input.value}”, expected “${value}”`);
            }
        },
    };
}

registry.category("web_tour.tours").add("channel_orders_phone_order", {
    url: "/my/channel",
    steps: () => [
        noSidewaysScroll("My channel", ".o_channel_summary"),
        {
            content: "Open the quick order",
            trigger: ".o_channel_summary",
            run: "goToUrl /my/channel/order",
        },
        noSidewaysScroll("Quick order", "form.o_channel_order_form tr[data-default-code='CO-A'] .o_channel_step_up"),
        {
            content: "One case of green tea more",
            trigger: "tr[data-default-code='CO-A'] .o_channel_step_up",
            run: "click",
        },
        hasValue("A case holds 6 bottles", "tr[data-default-code='CO-A'] input.o_channel_qty", "6"),
        {
            content: "And another one",
            trigger: "tr[data-default-code='CO-A'] .o_channel_step_up",
            run: "click",
        },
        {
            content: "And a third one",
            trigger: "tr[data-default-code='CO-A'] .o_channel_step_up",
            run: "click",
        },
        {
            content: "One case less",
            trigger: "tr[data-default-code='CO-A'] .o_channel_step_down",
            run: "click",
        },
        hasValue("Two cases", "tr[data-default-code='CO-A'] input.o_channel_qty", "12"),
        {
            content: "Type 3 bottles of jasmine tea",
            trigger: "tr[data-default-code='CO-B'] input.o_channel_qty",
            run: "edit 3",
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
        noSidewaysScroll("Quick order with its notes", ".o_channel_order_note"),
        {
            content: "Open the cart",
            trigger: "a.o_channel_cart_link",
            run: "click",
        },
        noSidewaysScroll("Cart", "tr.o_channel_cart_line[data-default-code='CO-A']"),
        {
            content: "One more bottle of jasmine tea",
            trigger: "tr.o_channel_cart_line[data-default-code='CO-B'] .o_channel_step_up",
            run: "click",
        },
        hasValue("Four bottles", "tr.o_channel_cart_line[data-default-code='CO-B'] input.o_channel_qty", "4"),
        {
            content: "The green tea cannot go below one case",
            trigger: "tr.o_channel_cart_line[data-default-code='CO-A'] .o_channel_step_down",
            run: "click",
        },
        {
            content: "Still at one case",
            trigger: "tr.o_channel_cart_line[data-default-code='CO-A'] .o_channel_step_down",
            run: "click",
        },
        hasValue("One case", "tr.o_channel_cart_line[data-default-code='CO-A'] input.o_channel_qty", "6"),
        {
            content: "Save the cart",
            trigger: "button.o_channel_cart_update",
            run: "click",
        },
        {
            content: "The cart is updated",
            trigger: ".o_channel_order_note",
        },
        noSidewaysScroll("Cart after the update", "tr.o_channel_cart_line[data-default-code='CO-B']"),
        {
            content: "Submit the order",
            trigger: "button.o_channel_cart_submit",
            run: "click",
        },
        {
            content: "The order is submitted",
            trigger: ".o_channel_submitted",
        },
        noSidewaysScroll("Submitted order", ".o_channel_state[data-state='to_sales']"),
    ],
});
