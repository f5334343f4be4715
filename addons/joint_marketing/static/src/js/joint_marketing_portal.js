/** @odoo-module */

import { PortalHomeCounters } from '@portal/js/portal';

PortalHomeCounters.include({
    /**
     * The announcements entry stays on the portal home of channel members even when everything is
     * read (the counter is only sent for them).
     * @override
     */
    _getCountersAlwaysDisplayed() {
        return this._super(...arguments).concat(['channel_announcement_unread_count']);
    },
});
