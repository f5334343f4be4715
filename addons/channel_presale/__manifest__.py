{
    "name": "Channel Pre-sale",
    "summary": "Suggested orders (pre-sale) prepared for each dealer before its route date from its deliveries",
    "version": "18.0.1.0.0",
    "category": "Sales/Channel",
    "license": "LGPL-3",
    "author": "Channel Suite",
    "website": "https://github.com/channel-suite/channel-suite",
    "depends": ["channel_orders"],
    "data": [
        "data/ir_cron_data.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/channel_delivery_route_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/channel_presale_menus.xml",
        "views/channel_presale_templates.xml",
    ],
    "demo": [
        "demo/channel_presale_demo.xml",
    ],
    "installable": True,
}
