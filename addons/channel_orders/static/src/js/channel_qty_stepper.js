/** @odoo-module */

import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";

/**
 * Quantity steppers (− / +) around the quantity inputs of the dealer's order forms.
 *
 * The input keeps its name and stays the field that is posted: the buttons only change its value,
 * by the input's ``data-step`` (the sale packaging, else 1), never below its ``data-min`` (0 when
 * not set; a quantity brought to 0 empties the input, which leaves the product out of the post).
 * The server still rounds what it receives, so a typed quantity needs no stepper at all.
 */
export function channelStepValue(value, step, min, direction) {
    const current = parseFloat(String(value || "").replace(",", ".")) || 0;
    const eps = 1e-9;
    let next;
    if (direction > 0) {
        next = (Math.floor(current / step + eps) + 1) * step;
    } else {
        next = (Math.ceil(current / step - eps) - 1) * step;
    }
    next = Math.max(next, min, 0);
    next = Math.round(next * 1000) / 1000;
    return next > 0 ? String(next) : "";
}

publicWidget.registry.ChannelQtyStepper = publicWidget.Widget.extend({
    selector: ".o_channel_order_form, .o_channel_cart_form, .o_channel_suggested_form",
    events: {
        "click .o_channel_step": "_onStepClick",
    },

    /**
     * @override
     */
    start() {
        for (const input of this.el.querySelectorAll("input.o_channel_qty")) {
            if (input.closest(".o_channel_stepper")) {
                continue;
            }
            const group = document.createElement("div");
            group.className = "input-group input-group-sm flex-nowrap o_channel_stepper";
            input.parentNode.insertBefore(group, input);
            group.append(
                this._makeButton(-1, "fa-minus", _t("Less")),
                input,
                this._makeButton(1, "fa-plus", _t("More"))
            );
        }
        return this._super(...arguments);
    },

    _makeButton(direction, icon, label) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = `btn btn-outline-secondary o_channel_step ${
            direction > 0 ? "o_channel_step_up" : "o_channel_step_down"
        }`;
        button.dataset.direction = String(direction);
        button.setAttribute("aria-label", label);
        button.title = label;
        const i = document.createElement("i");
        i.className = `fa ${icon}`;
        button.append(i);
        return button;
    },

    _onStepClick(ev) {
        ev.preventDefault();
        const button = ev.currentTarget;
        const input = button.closest(".o_channel_stepper").querySelector("input.o_channel_qty");
        const step = parseFloat(input.dataset.step) || 1;
        const min = parseFloat(input.dataset.min) || 0;
        input.value = channelStepValue(input.value, step, min, parseInt(button.dataset.direction));
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
    },
});

export default publicWidget.registry.ChannelQtyStepper;
