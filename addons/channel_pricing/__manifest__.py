{
    "name": "Channel Pricing",
    "summary": "Tier pricelists, last-price memory, price floors, market inspections and violations",
    "version": "18.0.1.0.0",
    "category": "Sales/Channel",
    "license": "LGPL-3",
    "author": "Channel Suite",
    "website": "https://github.com/channel-suite/channel-suite",
    "depends": ["channel_base", "sale_management", "sale_stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/channel_pricing_security.xml",
        "data/ir_sequence_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_config_parameter_data.xml",
    ],
    "installable": True,
}
