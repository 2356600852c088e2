/** The commitments list with a filter applied, as a react-admin route. */
export const commitmentsLink = (filter: Record<string, unknown>) =>
    `/commitments?filter=${encodeURIComponent(JSON.stringify(filter))}`;
