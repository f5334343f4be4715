/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

function openMenu(section, item) {
    return [
        {
            trigger: `.dropdown-toggle[data-menu-xmlid='channel_base.${section}']`,
            run: "click",
        },
        {
            trigger: `.dropdown-item[data-menu-xmlid='channel_base.${item}']`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("channel_base_tour", {
    url: "/web",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Channel app",
            trigger: ".o_app[data-menu-xmlid='channel_base.channel_menu_root']",
            run: "click",
        },
        {
            content: "Dealers open in kanban",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Dealer')",
            run: "click",
        },
        {
            content: "Open the Channel tab of the dealer",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Channel')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=channel_role] select, .o_form_view .o_field_widget[name=channel_role]",
        },
        {
            content: "The Channel tab lists the sub-distributor",
            trigger: ".o_form_view .o_field_widget[name=channel_child_ids] .o_data_row:contains('Tour Distributor')",
        },
        ...openMenu("channel_menu_network", "res_partner_network_menu"),
        {
            content: "The network tree shows the dealer",
            trigger: ".o_hierarchy_view .o_hierarchy_node:contains('Tour Dealer')",
        },
        ...openMenu("channel_menu_network", "res_partner_dealer_menu"),
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Dealer')",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Dealer')",
        },
        ...openMenu("channel_menu_config", "channel_territory_menu"),
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Province / Tour City')",
        },
        {
            content: "Territories as a hierarchy",
            trigger: ".o_switch_view.o_hierarchy",
            run: "click",
        },
        {
            trigger: ".o_hierarchy_view .o_hierarchy_node:contains('Tour Province')",
        },
        ...openMenu("channel_menu_config", "channel_tier_menu"),
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Tier') td[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name=action_view_dealers]:contains('1')",
        },
        ...openMenu("channel_menu_config", "channel_config_settings_menu"),
        {
            content: "The Channel settings block",
            trigger: ".o_setting_box:contains('Call interval') .o_field_widget[name=channel_care_call_days] input",
        },
    ],
});
