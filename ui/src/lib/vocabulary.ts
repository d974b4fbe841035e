// Generated from core/src/vocabulary.rs by core/tests/it/bindings.rs. Do not edit.

/** Every closed vocabulary: its values in order, each with its words in English and French. */
export const VOCABULARY = {
  "case_status": [
    {
      "value": "open",
      "en": "open",
      "fr": "ouverte"
    },
    {
      "value": "in_litigation",
      "en": "in litigation",
      "fr": "en contentieux"
    },
    {
      "value": "dormant",
      "en": "dormant",
      "fr": "en sommeil"
    },
    {
      "value": "settled",
      "en": "settled",
      "fr": "réglée"
    },
    {
      "value": "closed",
      "en": "closed",
      "fr": "close"
    }
  ],
  "allegation_status": [
    {
      "value": "alleged",
      "en": "alleged",
      "fr": "alléguée"
    },
    {
      "value": "under_review",
      "en": "under review",
      "fr": "en cours d’examen"
    },
    {
      "value": "disputed",
      "en": "disputed",
      "fr": "contestée"
    },
    {
      "value": "admitted",
      "en": "admitted",
      "fr": "reconnue"
    },
    {
      "value": "withdrawn",
      "en": "withdrawn",
      "fr": "retirée"
    },
    {
      "value": "upheld",
      "en": "upheld",
      "fr": "retenue"
    },
    {
      "value": "dismissed",
      "en": "dismissed",
      "fr": "rejetée"
    }
  ],
  "role": [
    {
      "value": "claimant",
      "en": "claimant",
      "fr": "demandeur"
    },
    {
      "value": "respondent",
      "en": "respondent",
      "fr": "défendeur"
    },
    {
      "value": "counsel",
      "en": "counsel",
      "fr": "conseil"
    },
    {
      "value": "third_party",
      "en": "third party",
      "fr": "tiers"
    },
    {
      "value": "regulator",
      "en": "regulator",
      "fr": "régulateur"
    },
    {
      "value": "court",
      "en": "court",
      "fr": "juridiction"
    },
    {
      "value": "reporter",
      "en": "reporter",
      "fr": "média"
    },
    {
      "value": "source",
      "en": "source",
      "fr": "source"
    },
    {
      "value": "witness",
      "en": "witness",
      "fr": "témoin"
    },
    {
      "value": "other",
      "en": "other",
      "fr": "autre"
    }
  ],
  "party_kind": [
    {
      "value": "organisation",
      "en": "organisation",
      "fr": "organisation"
    },
    {
      "value": "person",
      "en": "person",
      "fr": "personne"
    },
    {
      "value": "public_body",
      "en": "public body",
      "fr": "organisme public"
    },
    {
      "value": "court",
      "en": "court",
      "fr": "juridiction"
    },
    {
      "value": "media",
      "en": "media outlet",
      "fr": "média"
    }
  ],
  "channel": [
    {
      "value": "letter",
      "en": "letter",
      "fr": "lettre"
    },
    {
      "value": "email",
      "en": "e-mail",
      "fr": "courriel"
    },
    {
      "value": "press_statement",
      "en": "press statement",
      "fr": "communiqué de presse"
    },
    {
      "value": "social_media",
      "en": "social-media post",
      "fr": "publication sur un réseau social"
    },
    {
      "value": "court_filing",
      "en": "court filing",
      "fr": "acte de procédure"
    },
    {
      "value": "call",
      "en": "call",
      "fr": "appel"
    },
    {
      "value": "meeting",
      "en": "meeting",
      "fr": "réunion"
    },
    {
      "value": "other",
      "en": "other",
      "fr": "autre"
    }
  ],
  "recipient": [
    {
      "value": "to",
      "en": "to",
      "fr": "à"
    },
    {
      "value": "cc",
      "en": "cc",
      "fr": "cc"
    }
  ],
  "stance": [
    {
      "value": "denies",
      "en": "denies",
      "fr": "conteste"
    },
    {
      "value": "admits",
      "en": "admits",
      "fr": "reconnaît"
    },
    {
      "value": "partly_admits",
      "en": "partly admits",
      "fr": "reconnaît en partie"
    },
    {
      "value": "will_review",
      "en": "will review",
      "fr": "examinera"
    },
    {
      "value": "no_comment",
      "en": "no comment",
      "fr": "sans commentaire"
    }
  ],
  "certainty": [
    {
      "value": "confirmed",
      "en": "confirmed",
      "fr": "confirmé"
    },
    {
      "value": "reported",
      "en": "reported",
      "fr": "rapporté"
    },
    {
      "value": "alleged",
      "en": "alleged",
      "fr": "allégué"
    },
    {
      "value": "rumoured",
      "en": "rumoured",
      "fr": "rumeur"
    }
  ],
  "deadline_state": [
    {
      "value": "open",
      "en": "open",
      "fr": "en attente"
    },
    {
      "value": "answered",
      "en": "answered",
      "fr": "répondu"
    },
    {
      "value": "overdue",
      "en": "overdue",
      "fr": "en retard"
    }
  ],
  "evidence_kind": [
    {
      "value": "file",
      "en": "file",
      "fr": "fichier"
    },
    {
      "value": "url",
      "en": "web page",
      "fr": "page web"
    },
    {
      "value": "publication",
      "en": "publication",
      "fr": "publication"
    }
  ],
  "entry_kind": [
    {
      "value": "agreement_effective",
      "en": "agreement takes effect",
      "fr": "entrée en vigueur"
    },
    {
      "value": "agreement_terminated",
      "en": "agreement ends",
      "fr": "fin de l’accord"
    },
    {
      "value": "event",
      "en": "event",
      "fr": "événement"
    },
    {
      "value": "letter",
      "en": "letter",
      "fr": "lettre"
    },
    {
      "value": "allegation",
      "en": "allegation",
      "fr": "allégation"
    },
    {
      "value": "response",
      "en": "response",
      "fr": "réponse"
    },
    {
      "value": "status_change",
      "en": "status change",
      "fr": "changement de statut"
    },
    {
      "value": "deadline",
      "en": "deadline",
      "fr": "échéance"
    },
    {
      "value": "evidence",
      "en": "evidence",
      "fr": "pièce"
    }
  ],
  "record_kind": [
    {
      "value": "case",
      "en": "case",
      "fr": "affaire"
    },
    {
      "value": "party",
      "en": "party",
      "fr": "partie"
    },
    {
      "value": "agreement",
      "en": "agreement",
      "fr": "accord"
    },
    {
      "value": "clause",
      "en": "clause",
      "fr": "clause"
    },
    {
      "value": "letter",
      "en": "letter",
      "fr": "lettre"
    },
    {
      "value": "allegation",
      "en": "allegation",
      "fr": "allégation"
    },
    {
      "value": "response",
      "en": "response",
      "fr": "réponse"
    },
    {
      "value": "event",
      "en": "event",
      "fr": "événement"
    },
    {
      "value": "evidence",
      "en": "evidence",
      "fr": "pièce"
    }
  ],
  "format": [
    {
      "value": "md",
      "en": "Markdown summary",
      "fr": "synthèse Markdown"
    },
    {
      "value": "html",
      "en": "HTML report (print-ready)",
      "fr": "rapport HTML (prêt à imprimer)"
    },
    {
      "value": "docx",
      "en": "Word document (summary)",
      "fr": "document Word (synthèse)"
    },
    {
      "value": "pdf",
      "en": "PDF (print-ready summary)",
      "fr": "PDF (synthèse prête à imprimer)"
    },
    {
      "value": "csv",
      "en": "CSV chronology",
      "fr": "chronologie CSV"
    },
    {
      "value": "json",
      "en": "JSON bundle (whole case)",
      "fr": "lot JSON (affaire complète)"
    },
    {
      "value": "ics",
      "en": "calendar of deadlines (ICS)",
      "fr": "calendrier des échéances (ICS)"
    },
    {
      "value": "site",
      "en": "published timeline (static site, no private records)",
      "fr": "chronologie publiée (site statique, sans éléments privés)"
    },
    {
      "value": "timelinejs",
      "en": "TimelineJS JSON (published, no private records)",
      "fr": "JSON TimelineJS (publié, sans éléments privés)"
    },
    {
      "value": "eml",
      "en": "e-mail (.eml)",
      "fr": "courriel (.eml)"
    },
    {
      "value": "mbox",
      "en": "mailbox (.mbox)",
      "fr": "boîte aux lettres (.mbox)"
    },
    {
      "value": "xlsx",
      "en": "chronology in an Excel workbook (.xlsx)",
      "fr": "chronologie dans un classeur Excel (.xlsx)"
    },
    {
      "value": "ods",
      "en": "chronology in an OpenDocument workbook (.ods)",
      "fr": "chronologie dans un classeur OpenDocument (.ods)"
    },
    {
      "value": "msg",
      "en": "Outlook e-mail (.msg)",
      "fr": "courriel Outlook (.msg)"
    },
    {
      "value": "pst",
      "en": "Outlook mailbox archive (.pst)",
      "fr": "archive de messagerie Outlook (.pst)"
    },
    {
      "value": "warc",
      "en": "captured web page (.warc)",
      "fr": "page web capturée (.warc)"
    },
    {
      "value": "mhtml",
      "en": "web page saved by a browser (.mhtml)",
      "fr": "page web enregistrée par un navigateur (.mhtml)"
    },
    {
      "value": "privilege-log",
      "en": "privilege log (CSV, or Word for a .docx file)",
      "fr": "journal des pièces couvertes (CSV, ou Word pour un fichier .docx)"
    },
    {
      "value": "redaction-log",
      "en": "redaction log (CSV, or Word for a .docx file)",
      "fr": "journal des occultations (CSV, ou Word pour un fichier .docx)"
    }
  ],
  "report_section": [
    {
      "value": "summary",
      "en": "summary",
      "fr": "résumé"
    },
    {
      "value": "parties",
      "en": "cast of characters",
      "fr": "intervenants"
    },
    {
      "value": "chronology",
      "en": "chronology",
      "fr": "chronologie"
    },
    {
      "value": "agreements",
      "en": "agreements",
      "fr": "accords"
    },
    {
      "value": "allegations",
      "en": "allegations",
      "fr": "allégations"
    },
    {
      "value": "correspondence",
      "en": "correspondence",
      "fr": "correspondance"
    },
    {
      "value": "evidence",
      "en": "evidence index",
      "fr": "index des pièces"
    }
  ],
  "text_method": [
    {
      "value": "plain",
      "en": "text of the file",
      "fr": "texte du fichier"
    },
    {
      "value": "pdf",
      "en": "PDF text layer",
      "fr": "couche texte du PDF"
    },
    {
      "value": "ocr",
      "en": "character recognition",
      "fr": "reconnaissance de caractères"
    },
    {
      "value": "pdf_ocr",
      "en": "PDF text layer and character recognition",
      "fr": "couche texte du PDF et reconnaissance de caractères"
    },
    {
      "value": "docx",
      "en": "Word document",
      "fr": "document Word"
    },
    {
      "value": "odt",
      "en": "OpenDocument text",
      "fr": "texte OpenDocument"
    }
  ],
  "text_state": [
    {
      "value": "pending",
      "en": "waiting to be read",
      "fr": "en attente de lecture"
    },
    {
      "value": "done",
      "en": "text extracted",
      "fr": "texte extrait"
    },
    {
      "value": "failed",
      "en": "could not be read",
      "fr": "illisible"
    },
    {
      "value": "unsupported",
      "en": "no text to extract from this kind of file",
      "fr": "pas de texte à extraire de ce type de fichier"
    },
    {
      "value": "stopped",
      "en": "reading stopped",
      "fr": "lecture arrêtée"
    }
  ],
  "erasure_reason": [
    {
      "value": "clawback",
      "en": "clawback of privileged material",
      "fr": "restitution d’une pièce couverte par le secret"
    },
    {
      "value": "source_protection",
      "en": "source protection",
      "fr": "protection des sources"
    },
    {
      "value": "erasure_request",
      "en": "erasure request",
      "fr": "demande d’effacement"
    },
    {
      "value": "received_in_error",
      "en": "received in error",
      "fr": "reçu par erreur"
    },
    {
      "value": "other",
      "en": "other reason",
      "fr": "autre motif"
    }
  ],
  "privilege_basis": [
    {
      "value": "legal_advice",
      "en": "legal advice privilege",
      "fr": "consultation juridique (secret professionnel)"
    },
    {
      "value": "litigation",
      "en": "litigation privilege",
      "fr": "préparation d’un contentieux"
    },
    {
      "value": "work_product",
      "en": "attorney work product",
      "fr": "travail préparatoire de l’avocat"
    },
    {
      "value": "professional_secrecy",
      "en": "lawyer’s professional secrecy (secret professionnel de l’avocat)",
      "fr": "secret professionnel de l’avocat"
    },
    {
      "value": "other",
      "en": "other basis",
      "fr": "autre fondement"
    }
  ],
  "redaction_reason": [
    {
      "value": "personal_data",
      "en": "personal data",
      "fr": "données personnelles"
    },
    {
      "value": "privilege",
      "en": "privilege",
      "fr": "secret professionnel"
    },
    {
      "value": "third_party",
      "en": "third party",
      "fr": "tiers"
    },
    {
      "value": "commercial",
      "en": "commercially sensitive",
      "fr": "secret des affaires"
    },
    {
      "value": "other",
      "en": "other",
      "fr": "autre motif"
    }
  ],
  "production_disposition": [
    {
      "value": "produced",
      "en": "produced",
      "fr": "produit"
    },
    {
      "value": "redacted",
      "en": "produced redacted",
      "fr": "produit occulté"
    },
    {
      "value": "withheld",
      "en": "withheld as privileged",
      "fr": "retenu (secret professionnel)"
    },
    {
      "value": "native",
      "en": "produced in native form",
      "fr": "produit en format natif"
    }
  ]
} as const;

export type VocabularyName = keyof typeof VOCABULARY;
