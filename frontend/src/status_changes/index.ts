/**
 * status_changes has no page of its own: a commitment's history is shown on
 * its page and recent changes on the dashboard. Registered so that react-admin
 * knows the resource (labels, references).
 */
export default {
    recordRepresentation: 'to_status',
};
