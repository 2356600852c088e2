/**
 * Controlled vocabularies of Suivi (see eval/ANNOTATION.md and docs/api.md),
 * with their French and English labels. The i18n messages are generated from
 * this module, so a new term needs adding here only. The terms of the
 * contracts (libs/suivi_contracts) must match them, in their order:
 * tests/test_vocabularies_ts.py checks it.
 */
export interface Term {
    id: string;
    fr: string;
    en: string;
}

export const STATUSES: Term[] = [
    { id: 'not_assessed', fr: 'Non évalué', en: 'Not assessed' },
    { id: 'not_started', fr: 'Pas commencé', en: 'Not started' },
    { id: 'in_progress', fr: 'En cours', en: 'In progress' },
    { id: 'stalled', fr: 'Au point mort', en: 'Stalled' },
    { id: 'partially_achieved', fr: 'Partiellement tenu', en: 'Partially achieved' },
    { id: 'achieved', fr: 'Tenu', en: 'Achieved' },
    { id: 'abandoned', fr: 'Abandonné', en: 'Abandoned' },
];

/** Moving to one of these statuses requires evidence (docs/api.md, status_changes). */
export const EVIDENCE_REQUIRED_STATUSES = ['partially_achieved', 'achieved', 'abandoned'];

export const KINDS: Term[] = [
    { id: 'engagement', fr: 'Engagement', en: 'Engagement' },
    { id: 'call', fr: 'Appel', en: 'Call' },
    { id: 'recommendation', fr: 'Recommandation', en: 'Recommendation' },
    { id: 'priority', fr: 'Priorité', en: 'Priority' },
];

export const ACTORS: Term[] = [
    { id: 'states', fr: 'États', en: 'States' },
    { id: 'private_sector', fr: 'Secteur privé', en: 'Private sector' },
    { id: 'civil_society', fr: 'Société civile', en: 'Civil society' },
    { id: 'technical_community', fr: 'Communauté technique', en: 'Technical community' },
    { id: 'academia', fr: 'Milieu universitaire', en: 'Academia' },
    { id: 'intergovernmental_orgs', fr: 'Organisations intergouvernementales', en: 'Intergovernmental organisations' },
    { id: 'international_orgs', fr: 'Organisations internationales', en: 'International organisations' },
    { id: 'un_system', fr: 'Système des Nations Unies', en: 'UN system' },
    { id: 'igf', fr: 'FGI', en: 'IGF' },
    { id: 'itu', fr: 'UIT', en: 'ITU' },
    { id: 'wsis', fr: 'SMSI', en: 'WSIS' },
    { id: 'donors', fr: 'Donateurs', en: 'Donors' },
    { id: 'platforms', fr: 'Plateformes', en: 'Platforms' },
    { id: 'all_stakeholders', fr: 'Toutes les parties prenantes', en: 'All stakeholders' },
    { id: 'unspecified', fr: 'Non précisé', en: 'Unspecified' },
];

export const TOPICS: Term[] = [
    { id: 'igf_mandate', fr: 'Mandat du FGI', en: 'IGF mandate' },
    { id: 'funding', fr: 'Financement', en: 'Funding' },
    { id: 'nri_coordination', fr: 'Coordination avec les IRN', en: 'NRI coordination' },
    { id: 'gdc_wsis_alignment', fr: 'Articulation PNM – SMSI', en: 'GDC – WSIS alignment' },
    { id: 'multistakeholder_participation', fr: 'Participation multipartite', en: 'Multistakeholder participation' },
    { id: 'connectivity_access', fr: 'Connectivité et accès', en: 'Connectivity and access' },
    { id: 'critical_internet_resources', fr: 'Ressources critiques de l’Internet', en: 'Critical Internet resources' },
    { id: 'cybersecurity_trust', fr: 'Cybersécurité et confiance', en: 'Cybersecurity and trust' },
    { id: 'human_rights', fr: 'Droits humains', en: 'Human rights' },
    { id: 'capacity_building', fr: 'Renforcement des capacités', en: 'Capacity building' },
    { id: 'multilingualism_diversity', fr: 'Multilinguisme et diversité', en: 'Multilingualism and diversity' },
    { id: 'ai_emerging_tech', fr: 'IA et technologies émergentes', en: 'AI and emerging technologies' },
    { id: 'environment', fr: 'Environnement', en: 'Environment' },
    { id: 'online_safety', fr: 'Sécurité en ligne', en: 'Online safety' },
    { id: 'digital_public_infrastructure', fr: 'Infrastructure publique numérique', en: 'Digital public infrastructure' },
    { id: 'development_sdgs', fr: 'Développement et ODD', en: 'Development and SDGs' },
];

/** The four topics that matter most to Suivi's first users, shown first on the dashboard. */
export const MISSION_TOPICS = ['igf_mandate', 'funding', 'nri_coordination', 'gdc_wsis_alignment'];

export const NEGOTIATION_STATUSES: Term[] = [
    { id: 'adopted', fr: 'Adopté', en: 'Adopted' },
    { id: 'bracketed', fr: 'Entre crochets', en: 'Bracketed' },
    { id: 'none', fr: 'Non marqué', en: 'Unmarked' },
];

export const DOCUMENT_STATUSES: Term[] = [
    { id: 'queued', fr: 'En attente', en: 'Queued' },
    { id: 'processing', fr: 'En traitement', en: 'Processing' },
    { id: 'done', fr: 'Terminé', en: 'Done' },
    { id: 'failed', fr: 'Échec', en: 'Failed' },
];

export const DELIVERY_STATUSES: Term[] = [
    { id: 'pending', fr: 'En attente', en: 'Pending' },
    { id: 'succeeded', fr: 'Réussie', en: 'Succeeded' },
    { id: 'failing', fr: 'En échec', en: 'Failing' },
    { id: 'dead', fr: 'Abandonnée', en: 'Dead' },
];

export const ARCHIVE_STATUSES: Term[] = [
    { id: 'pending', fr: 'Archivage en attente', en: 'Archiving pending' },
    { id: 'archived', fr: 'Archivé', en: 'Archived' },
    { id: 'failed', fr: 'Archivage échoué', en: 'Archiving failed' },
];

export const ROLES: Term[] = [
    { id: 'viewer', fr: 'Lecteur', en: 'Viewer' },
    { id: 'monitor', fr: 'Veilleur', en: 'Monitor' },
    { id: 'admin', fr: 'Administrateur', en: 'Administrator' },
];

export const EVENT_TYPES: Term[] = [
    { id: 'suivi.document.ingested', fr: 'Document analysé', en: 'Document ingested' },
    { id: 'suivi.document.failed', fr: 'Échec d’analyse', en: 'Document failed' },
    { id: 'suivi.commitment.extracted', fr: 'Engagement extrait', en: 'Commitment extracted' },
    { id: 'suivi.commitment.created', fr: 'Engagement créé', en: 'Commitment created' },
    { id: 'suivi.commitment.updated', fr: 'Engagement modifié', en: 'Commitment updated' },
    { id: 'suivi.commitment.source_added', fr: 'Source ajoutée', en: 'Source added' },
    { id: 'suivi.commitment.status_changed', fr: 'Statut changé', en: 'Status changed' },
    { id: 'suivi.commitment.deleted', fr: 'Engagement supprimé', en: 'Commitment deleted' },
    { id: 'suivi.evidence.added', fr: 'Preuve ajoutée', en: 'Evidence added' },
    { id: 'suivi.commitment.deadline_due', fr: 'Échéance atteinte', en: 'Deadline due' },
    { id: 'suivi.digest.weekly', fr: 'Bilan hebdomadaire', en: 'Weekly digest' },
    { id: 'suivi.subscription.disabled', fr: 'Abonnement désactivé', en: 'Subscription disabled' },
    { id: 'suivi.webhook.test', fr: 'Test de webhook', en: 'Webhook test' },
];

export const LANGUAGES: Term[] = [
    { id: 'auto', fr: 'Détection automatique', en: 'Detect automatically' },
    { id: 'fr', fr: 'Français', en: 'French' },
    { id: 'en', fr: 'Anglais', en: 'English' },
    { id: 'es', fr: 'Espagnol', en: 'Spanish' },
    { id: 'ar', fr: 'Arabe', en: 'Arabic' },
    { id: 'zh', fr: 'Chinois', en: 'Chinese' },
    { id: 'ru', fr: 'Russe', en: 'Russian' },
];

/** Vocabularies by i18n namespace: `suivi.<namespace>.<id>` is the label key. */
export const VOCABULARIES: Record<string, Term[]> = {
    status: STATUSES,
    kind: KINDS,
    actor: ACTORS,
    topic: TOPICS,
    negotiation: NEGOTIATION_STATUSES,
    document_status: DOCUMENT_STATUSES,
    delivery_status: DELIVERY_STATUSES,
    archive_status: ARCHIVE_STATUSES,
    role: ROLES,
    event_type: EVENT_TYPES,
    language: LANGUAGES,
};

/** Choices for react-admin inputs; names are i18n keys, translated by the inputs. */
export const choices = (namespace: keyof typeof VOCABULARIES | string) =>
    (VOCABULARIES[namespace] ?? []).map(t => ({ id: t.id, name: `suivi.${namespace}.${t.id}` }));

/** i18n messages for every vocabulary in one language. */
export const vocabularyMessages = (lang: 'fr' | 'en') =>
    Object.fromEntries(
        Object.entries(VOCABULARIES).map(([ns, terms]) => [
            ns,
            Object.fromEntries(terms.map(t => [t.id, t[lang]])),
        ])
    );
