{
    "name": "Channel Service Requests",
    "summary": "Dealer service requests and complaints routed by type with response and resolution times (SLA)",
    "version": "18.0.1.0.0",
    "category": "Sales/Channel",
    "license": "LGPL-3",
    "author": "Channel Suite",
    "website": "https://github.com/channel-suite/channel-suite",
    "depends": ["channel_base", "mail", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/channel_service_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/channel_service_type_views.xml",
        "views/channel_service_request_views.xml",
        "report/channel_service_sla_report_views.xml",
        "views/channel_service_menus.xml",
        "views/channel_service_templates.xml",
    ],
    "demo": [
        "demo/channel_service_demo.xml",
    ],
    "assets": {
        "web.assets_tests": ["channel_service/static/tests/tours/*.js"],
    },
    "installable": True,
}
