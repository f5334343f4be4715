/** @odoo-module **/

import { registry } from "@web/core/registry";

const PHONE_WIDTH = 390;

function checkNoHorizontalScroll() {
    // Headless browsers keep a window of at least 500 px: the page is laid out at the phone's width
    // (the same Bootstrap breakpoint) and nothing visible may reach beyond it.
    document.body.style.width = `${PHONE_WIDTH}px`;
    const wide = [...document.querySelectorAll("#wrap *")].filter((el) => {
        const rect = el.getBoundingClientRect();
        return el.offsetParent !== null && rect.width > 0 && rect.right > PHONE_WIDTH + 1;
    });
    const page = document.documentElement;
    if (wide.length || page.scrollWidth > window.innerWidth + 1) {
        throw new Error(
            `The page does not fit ${PHONE_WIDTH}px (${page.scrollWidth}px on ${window.innerWidth}px): ` +
                wide
                    .slice(0, 5)
                    .map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`)
                    .join(", ")
        );
    }
}

registry.category("web_tour.tours").add("channel_base_cockpit_phone", {
    url: "/my/channel",
    steps: () => [
        {
            content: "The cockpit shows its cards",
            trigger: ".o_channel_cockpit .o_channel_card_tier",
        },
        {
            content: "Downstream partners are stacked rows on a phone",
            trigger: ".o_channel_downstream_list .o_channel_downstream_item:contains('Distributor A1')",
        },
        {
            content: "The table of downstream partners is hidden on a phone",
            trigger: ".o_channel_cockpit",
            run() {
                const row = document.querySelector(".o_channel_downstream_row");
                if (row && row.offsetParent !== null) {
                    throw new Error("The downstream table is shown on a phone.");
                }
                checkNoHorizontalScroll();
            },
        },
    ],
});
