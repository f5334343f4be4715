{
    "name": "Channel Alerts",
    "summary": "Dealer early warnings (falling purchases, dormant, only a first order, care overdue) and their KPI",
    "version": "18.0.1.0.0",
    "category": "Sales/Channel",
    "license": "LGPL-3",
    "author": "Channel Suite",
    "website": "https://github.com/channel-suite/channel-suite",
    "depends": ["channel_orders"],
    "data": [
        "security/ir.model.access.csv",
        "security/channel_alert_security.xml",
        "data/ir_cron_data.xml",
        "views/channel_alert_views.xml",
        "report/channel_dealer_kpi_report_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/channel_alert_menus.xml",
    ],
    "demo": [
        "demo/channel_alert_demo.xml",
    ],
    "installable": True,
}
