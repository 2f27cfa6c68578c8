//! The widget's UI strings in English, Italian, Spanish, French, German and Portuguese.

/// A supported interface language.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    En,
    It,
    Es,
    Fr,
    De,
    Pt,
}

/// One UI string.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Text {
    OpenChat,
    CloseChat,
    DefaultTitle,
    /// Placeholder of the message box.
    TypeMessage,
    /// Accessible label of the message box.
    MessageLabel,
    Send,
    Sending,
    NotSent,
    Retry,
    CalloutTitle,
    CalloutMessage,
    Dismiss,
    Offline,
    SessionExpired,
    Refused,
    Unreadable,
    NoAgents,
    NewConversation,
    YourConversations,
    Back,
    CloseConversation,
    ConversationClosed,
    RateConversation,
    ThankYou,
    Today,
    Yesterday,
    /// Follows a count: "3 unread messages".
    UnreadMessages,
    StartChat,
    Required,
    InvalidValue,
    Download,
    ChooseDepartment,
    /// Followed by a sender's name.
    NewMessageFrom,
    You,
    /// The button above a long conversation's rendered messages that reveals older ones.
    ShowEarlier,
    /// Accessible name of the scrollable list of messages.
    ConversationMessages,
    /// The server has the visitor's message (a tick's accessible name).
    Sent,
    Delivered,
    Read,
    /// Follows the name of whoever is typing.
    IsWriting,
    /// The header's options menu.
    Options,
    SoundOn,
    SoundOff,
    DownloadTranscript,
    LogOut,
    ConfirmEnd,
    Yes,
    No,
    Maximize,
    /// Restores the panel's size after Maximize.
    Minimize,
    /// Heading of a downloaded transcript.
    Transcript,
    /// Makes the enlarged panel a centred one over the page.
    Center,
    /// The paperclip's name.
    AttachFile,
    RemoveAttachment,
    FileTooBig,
    FileType,
    FileEmpty,
    UploadFailed,
    DropHere,
    Uploading,
    /// The emoji button and picker.
    Emoji,
    SearchEmoji,
    EmojiUnavailable,
    /// A gallery of cards a bot sent.
    Gallery,
    /// The optional comment after a rating.
    RatingComment,
    /// The home view's button to the list of all the visitor's conversations.
    ShowAll,
    /// How soon the team replies; `$reply_time` stands for a duration ("2 minutes").
    RepliesIn,
    RepliesSoon,
    /// Before the buttons to continue on WhatsApp, Telegram or Messenger.
    SwitchTo,
    /// Accessible name of the available agents' avatars.
    AvailableNow,
    /// A web page shown inside the widget, opened in a tab instead.
    OpenInNewWindow,
    /// A closed conversation in the list of all conversations.
    ClosedBadge,
    /// The microphone button, and the one that ends the recording.
    RecordVoice,
    StopRecording,
    /// Follows the time recorded so far: "Recording 0:04".
    RecordingNow,
    MicrophoneUnavailable,
    /// The pages a bot's answer links to (Tiledesk's `url_preview` message).
    Sources,
    /// Folds a long list back after Show all.
    ShowLess,
    /// The home view's welcome when the site and the project set none, as Tiledesk's.
    Greeting,
    HowCanWeHelp,
}

/// One string in every `Lang`, in `Lang` order.
pub type Row = [&'static str; 6];

const CODES: [&str; 6] = ["en", "it", "es", "fr", "de", "pt"];
const LANGS: [Lang; 6] = [Lang::En, Lang::It, Lang::Es, Lang::Fr, Lang::De, Lang::Pt];

impl Lang {
    /// The `lang` setting if supported, else the first supported browser language, else English.
    pub fn pick(setting: Option<&str>, browser: &[String]) -> Lang {
        setting
            .into_iter()
            .chain(browser.iter().map(String::as_str))
            .find_map(|tag| {
                let primary = tag.trim().split(['-', '_']).next()?;
                let at = CODES
                    .iter()
                    .position(|code| code.eq_ignore_ascii_case(primary))?;
                Some(LANGS[at])
            })
            .unwrap_or(Lang::En)
    }

    /// The ISO 639-1 code, for the `lang` attribute.
    pub fn code(self) -> &'static str {
        CODES[self as usize]
    }

    pub fn text(self, key: Text) -> &'static str {
        self.of(&STRINGS[key as usize])
    }

    /// This language's string of `row`.
    pub fn of(self, row: &Row) -> &'static str {
        row[self as usize]
    }
}

// The rows the first-load shell shows, named so that it links these alone, not the whole table.
pub const OPEN_CHAT: Row = [
    "Open chat",
    "Apri la chat",
    "Abrir el chat",
    "Ouvrir le chat",
    "Chat öffnen",
    "Abrir o chat",
];
pub const CLOSE_CHAT: Row = [
    "Close chat",
    "Chiudi la chat",
    "Cerrar el chat",
    "Fermer le chat",
    "Chat schließen",
    "Fechar o chat",
];
pub const DEFAULT_TITLE: Row = [
    "Chat with us",
    "Chatta con noi",
    "Chatea con nosotros",
    "Discutez avec nous",
    "Chatten Sie mit uns",
    "Converse com a gente",
];
pub const TYPE_MESSAGE: Row = [
    "Type your message…",
    "Scrivi il tuo messaggio…",
    "Escribe tu mensaje…",
    "Écrivez votre message…",
    "Schreiben Sie Ihre Nachricht…",
    "Digite sua mensagem…",
];
pub const MESSAGE_LABEL: Row = [
    "Type your message",
    "Scrivi il tuo messaggio",
    "Escribe tu mensaje",
    "Écrivez votre message",
    "Schreiben Sie Ihre Nachricht",
    "Digite sua mensagem",
];
pub const SEND: Row = ["Send", "Invia", "Enviar", "Envoyer", "Senden", "Enviar"];
pub const CALLOUT_TITLE: Row = [
    "Need help?",
    "Hai bisogno di aiuto?",
    "¿Necesitas ayuda?",
    "Besoin d’aide\u{a0}?",
    "Brauchen Sie Hilfe?",
    "Precisa de ajuda?",
];
pub const CALLOUT_MESSAGE: Row = [
    "Click here and start chatting with us!",
    "Clicca qui e inizia a chattare con noi!",
    "¡Haz clic aquí y empieza a chatear con nosotros!",
    "Cliquez ici pour discuter avec nous\u{a0}!",
    "Klicken Sie hier und chatten Sie mit uns!",
    "Clique aqui e comece a conversar com a gente!",
];
pub const DISMISS: Row = [
    "Dismiss",
    "Ignora",
    "Descartar",
    "Ignorer",
    "Ausblenden",
    "Dispensar",
];

pub const OFFLINE: Row = [
    "Can't reach the chat service. Check your connection and try again.",
    "Impossibile raggiungere il servizio di chat. Controlla la connessione e riprova.",
    "No se puede conectar con el servicio de chat. Comprueba tu conexión e inténtalo de nuevo.",
    "Impossible de joindre le service de chat. Vérifiez votre connexion et réessayez.",
    "Der Chat-Dienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    "Não foi possível acessar o serviço de chat. Verifique sua conexão e tente novamente.",
];

/// One row per `Text`, in declaration order; columns in `Lang` order.
const STRINGS: [Row; 80] = [
    OPEN_CHAT,
    CLOSE_CHAT,
    DEFAULT_TITLE,
    TYPE_MESSAGE,
    MESSAGE_LABEL,
    SEND,
    ["Sending…", "Invio in corso…", "Enviando…", "Envoi en cours…", "Wird gesendet…", "Enviando…"],
    ["Not sent.", "Non inviato.", "No enviado.", "Non envoyé.", "Nicht gesendet.", "Não enviada."],
    ["Retry", "Riprova", "Reintentar", "Réessayer", "Erneut versuchen", "Tentar novamente"],
    CALLOUT_TITLE,
    CALLOUT_MESSAGE,
    DISMISS,
    OFFLINE,
    [
        "Your chat session has expired. Please try again.",
        "La sessione di chat è scaduta. Riprova.",
        "Tu sesión de chat ha caducado. Inténtalo de nuevo.",
        "Votre session de chat a expiré. Veuillez réessayer.",
        "Ihre Chat-Sitzung ist abgelaufen. Bitte versuchen Sie es erneut.",
        "Sua sessão de chat expirou. Tente novamente.",
    ],
    [
        "The chat service refused the message.",
        "Il servizio di chat ha rifiutato il messaggio.",
        "El servicio de chat ha rechazado el mensaje.",
        "Le service de chat a refusé le message.",
        "Der Chat-Dienst hat die Nachricht abgelehnt.",
        "O serviço de chat recusou a mensagem.",
    ],
    [
        "The chat service sent an answer the widget can't read.",
        "Il servizio di chat ha inviato una risposta che il widget non riesce a leggere.",
        "El servicio de chat envió una respuesta que el widget no puede leer.",
        "Le service de chat a envoyé une réponse que le widget ne sait pas lire.",
        "Der Chat-Dienst hat eine Antwort gesendet, die das Widget nicht lesen kann.",
        "O serviço de chat enviou uma resposta que o widget não consegue ler.",
    ],
    [
        "Our team is offline right now. Leave a message and we'll get back to you.",
        "Il nostro team al momento non è disponibile. Lascia un messaggio e ti ricontatteremo.",
        "Nuestro equipo no está disponible ahora. Deja un mensaje y te responderemos.",
        "Notre équipe est absente pour le moment. Laissez un message et nous vous répondrons.",
        "Unser Team ist gerade nicht erreichbar. Hinterlassen Sie eine Nachricht, wir melden uns bei Ihnen.",
        "Nossa equipe está offline agora. Deixe uma mensagem e retornaremos o contato.",
    ],
    [
        "New conversation",
        "Nuova conversazione",
        "Nueva conversación",
        "Nouvelle conversation",
        "Neue Unterhaltung",
        "Nova conversa",
    ],
    [
        "Your conversations",
        "Le tue conversazioni",
        "Tus conversaciones",
        "Vos conversations",
        "Ihre Unterhaltungen",
        "Suas conversas",
    ],
    ["Back", "Indietro", "Atrás", "Retour", "Zurück", "Voltar"],
    [
        "End conversation",
        "Termina la conversazione",
        "Finalizar la conversación",
        "Terminer la conversation",
        "Unterhaltung beenden",
        "Encerrar a conversa",
    ],
    [
        "This conversation has been closed.",
        "Questa conversazione è stata chiusa.",
        "Esta conversación se ha cerrado.",
        "Cette conversation a été clôturée.",
        "Diese Unterhaltung wurde beendet.",
        "Esta conversa foi encerrada.",
    ],
    [
        "How was this conversation?",
        "Com’è andata questa conversazione?",
        "¿Qué te ha parecido esta conversación?",
        "Comment s’est passée cette conversation\u{a0}?",
        "Wie war diese Unterhaltung?",
        "Como foi esta conversa?",
    ],
    [
        "Thank you for your feedback!",
        "Grazie per il tuo feedback!",
        "¡Gracias por tu opinión!",
        "Merci pour votre avis\u{a0}!",
        "Vielen Dank für Ihr Feedback!",
        "Obrigado pela sua avaliação!",
    ],
    ["Today", "Oggi", "Hoy", "Aujourd’hui", "Heute", "Hoje"],
    ["Yesterday", "Ieri", "Ayer", "Hier", "Gestern", "Ontem"],
    [
        "unread messages",
        "messaggi non letti",
        "mensajes sin leer",
        "messages non lus",
        "ungelesene Nachrichten",
        "mensagens não lidas",
    ],
    ["Start chat", "Inizia la chat", "Iniciar chat", "Démarrer le chat", "Chat starten", "Iniciar conversa"],
    [
        "This field is required",
        "Questo campo è obbligatorio",
        "Este campo es obligatorio",
        "Ce champ est obligatoire",
        "Dieses Feld ist erforderlich",
        "Este campo é obrigatório",
    ],
    [
        "Please check this value",
        "Controlla questo valore",
        "Revisa este valor",
        "Veuillez vérifier cette valeur",
        "Bitte überprüfen Sie diesen Wert",
        "Verifique este valor",
    ],
    ["Download", "Scarica", "Descargar", "Télécharger", "Herunterladen", "Baixar"],
    [
        "How can we help you?",
        "Come possiamo aiutarti?",
        "¿Cómo podemos ayudarte?",
        "Comment pouvons-nous vous aider\u{a0}?",
        "Wie können wir Ihnen helfen?",
        "Como podemos ajudar?",
    ],
    [
        "New message from",
        "Nuovo messaggio da",
        "Nuevo mensaje de",
        "Nouveau message de",
        "Neue Nachricht von",
        "Nova mensagem de",
    ],
    ["You", "Tu", "Tú", "Vous", "Sie", "Você"],
    [
        "Show earlier messages",
        "Mostra i messaggi precedenti",
        "Mostrar mensajes anteriores",
        "Afficher les messages précédents",
        "Frühere Nachrichten anzeigen",
        "Mostrar mensagens anteriores",
    ],
    [
        "Conversation messages",
        "Messaggi della conversazione",
        "Mensajes de la conversación",
        "Messages de la conversation",
        "Nachrichten der Unterhaltung",
        "Mensagens da conversa",
    ],
    [
        "Sent",
        "Inviato",
        "Enviado",
        "Envoyé",
        "Gesendet",
        "Enviada",
    ],
    [
        "Delivered",
        "Consegnato",
        "Entregado",
        "Distribué",
        "Zugestellt",
        "Entregue",
    ],
    [
        "Read",
        "Letto",
        "Leído",
        "Lu",
        "Gelesen",
        "Lida",
    ],
    [
        "is writing…",
        "sta scrivendo…",
        "está escribiendo…",
        "est en train d’écrire…",
        "schreibt…",
        "está digitando…",
    ],
    [
        "Options",
        "Opzioni",
        "Opciones",
        "Menu",
        "Optionen",
        "Opções",
    ],
    [
        "Sound on",
        "Audio attivo",
        "Sonido activado",
        "Son activé",
        "Ton an",
        "Som ligado",
    ],
    [
        "Sound off",
        "Audio disattivato",
        "Sonido desactivado",
        "Son désactivé",
        "Ton aus",
        "Som desligado",
    ],
    [
        "Download transcript",
        "Scarica la trascrizione",
        "Descargar la transcripción",
        "Télécharger la transcription",
        "Verlauf herunterladen",
        "Baixar a transcrição",
    ],
    [
        "Log out",
        "Esci",
        "Cerrar sesión",
        "Se déconnecter",
        "Abmelden",
        "Sair",
    ],
    [
        "Are you sure you want to end this conversation?",
        "Vuoi davvero terminare questa conversazione?",
        "¿Seguro que quieres finalizar esta conversación?",
        "Voulez-vous vraiment terminer cette conversation\u{a0}?",
        "Möchten Sie diese Unterhaltung wirklich beenden?",
        "Tem certeza de que deseja encerrar esta conversa?",
    ],
    [
        "Yes",
        "Sì",
        "Sí",
        "Oui",
        "Ja",
        "Sim",
    ],
    [
        "No",
        "No",
        "No",
        "Non",
        "Nein",
        "Não",
    ],
    [
        "Expand window",
        "Espandi la finestra",
        "Ampliar la ventana",
        "Agrandir la fenêtre",
        "Fenster vergrößern",
        "Expandir a janela",
    ],
    [
        "Restore window size",
        "Ripristina la finestra",
        "Restaurar la ventana",
        "Rétablir la fenêtre",
        "Fenstergröße wiederherstellen",
        "Restaurar a janela",
    ],
    [
        "Conversation transcript",
        "Trascrizione della conversazione",
        "Transcripción de la conversación",
        "Transcription de la conversation",
        "Gesprächsverlauf",
        "Transcrição da conversa",
    ],
    [
        "Center window",
        "Centra la finestra",
        "Centrar la ventana",
        "Centrer la fenêtre",
        "Fenster zentrieren",
        "Centralizar a janela",
    ],
    [
        "Attach a file",
        "Allega un file",
        "Adjuntar un archivo",
        "Joindre un fichier",
        "Datei anhängen",
        "Anexar um arquivo",
    ],
    [
        "Remove the file",
        "Rimuovi il file",
        "Quitar el archivo",
        "Retirer le fichier",
        "Datei entfernen",
        "Remover o arquivo",
    ],
    [
        "The file exceeds the maximum allowed size (10 MB).",
        "Il file supera la dimensione massima consentita (10 MB).",
        "El archivo supera el tamaño máximo permitido (10 MB).",
        "Le fichier dépasse la taille maximale autorisée (10 Mo).",
        "Die Datei überschreitet die maximal zulässige Größe (10 MB).",
        "O arquivo excede o tamanho máximo permitido (10 MB).",
    ],
    [
        "This type of file can't be sent here.",
        "Questo tipo di file non può essere inviato qui.",
        "Este tipo de archivo no se puede enviar aquí.",
        "Ce type de fichier ne peut pas être envoyé ici.",
        "Dieser Dateityp kann hier nicht gesendet werden.",
        "Este tipo de arquivo não pode ser enviado aqui.",
    ],
    [
        "The file is empty.",
        "Il file è vuoto.",
        "El archivo está vacío.",
        "Le fichier est vide.",
        "Die Datei ist leer.",
        "O arquivo está vazio.",
    ],
    [
        "The file couldn't be sent. Try again.",
        "Non è stato possibile inviare il file. Riprova.",
        "No se pudo enviar el archivo. Inténtalo de nuevo.",
        "Le fichier n’a pas pu être envoyé. Réessayez.",
        "Die Datei konnte nicht gesendet werden. Versuchen Sie es erneut.",
        "Não foi possível enviar o arquivo. Tente novamente.",
    ],
    [
        "Drop the file to send it",
        "Rilascia il file per inviarlo",
        "Suelta el archivo para enviarlo",
        "Déposez le fichier pour l’envoyer",
        "Datei hier ablegen, um sie zu senden",
        "Solte o arquivo para enviá-lo",
    ],
    [
        "Uploading",
        "Caricamento",
        "Subiendo",
        "Envoi du fichier",
        "Wird hochgeladen",
        "Enviando o arquivo",
    ],
    [
        "Emoji",
        "Emoji",
        "Emoji",
        "Émoji",
        "Emoji",
        "Emoji",
    ],
    [
        "Search emoji",
        "Cerca emoji",
        "Buscar emoji",
        "Rechercher un émoji",
        "Emoji suchen",
        "Buscar emoji",
    ],
    [
        "Emoji couldn't be loaded.",
        "Impossibile caricare le emoji.",
        "No se pudieron cargar los emoji.",
        "Les émojis n’ont pas pu être chargés.",
        "Emojis konnten nicht geladen werden.",
        "Não foi possível carregar os emojis.",
    ],
    [
        "Cards",
        "Schede",
        "Tarjetas",
        "Fiches",
        "Karten",
        "Cartões",
    ],
    [
        "Tell us more (optional)",
        "Raccontaci di più (facoltativo)",
        "Cuéntanos más (opcional)",
        "Dites-nous en plus (facultatif)",
        "Erzählen Sie uns mehr (optional)",
        "Conte-nos mais (opcional)",
    ],
    ["Show all", "Mostra tutte", "Ver todas", "Tout afficher", "Alle anzeigen", "Ver todas"],
    [
        "The team typically replies in $reply_time",
        "Il team di solito risponde in $reply_time",
        "El equipo suele responder en $reply_time",
        "L’équipe répond généralement en $reply_time",
        "Das Team antwortet in der Regel in $reply_time",
        "A equipe costuma responder em $reply_time",
    ],
    [
        "The team will reply as soon as possible",
        "Il team risponderà il prima possibile",
        "El equipo responderá lo antes posible",
        "L’équipe vous répondra dès que possible",
        "Das Team antwortet so schnell wie möglich",
        "A equipe responderá o mais rápido possível",
    ],
    [
        "Or switch to:",
        "Oppure passa a:",
        "O cambia a:",
        "Ou passez à\u{a0}:",
        "Oder wechseln Sie zu:",
        "Ou mude para:",
    ],
    [
        "Available now",
        "Disponibili ora",
        "Disponibles ahora",
        "Disponibles maintenant",
        "Jetzt verfügbar",
        "Disponíveis agora",
    ],
    [
        "Open in a new window",
        "Apri in una nuova finestra",
        "Abrir en una ventana nueva",
        "Ouvrir dans une nouvelle fenêtre",
        "In neuem Fenster öffnen",
        "Abrir em uma nova janela",
    ],
    ["Closed", "Chiusa", "Cerrada", "Fermée", "Geschlossen", "Encerrada"],
    [
        "Record a voice message",
        "Registra un messaggio vocale",
        "Grabar un mensaje de voz",
        "Enregistrer un message vocal",
        "Sprachnachricht aufnehmen",
        "Gravar uma mensagem de voz",
    ],
    [
        "Stop recording",
        "Interrompi la registrazione",
        "Detener la grabación",
        "Arrêter l’enregistrement",
        "Aufnahme beenden",
        "Parar a gravação",
    ],
    ["Recording", "Registrazione", "Grabando", "Enregistrement", "Aufnahme", "Gravando"],
    [
        "The microphone is not available.",
        "Il microfono non è disponibile.",
        "El micrófono no está disponible.",
        "Le micro n’est pas disponible.",
        "Das Mikrofon ist nicht verfügbar.",
        "O microfone não está disponível.",
    ],
    ["Sources", "Fonti", "Fuentes", "Sources", "Quellen", "Fontes"],
    ["Show less", "Mostra meno", "Ver menos", "Afficher moins", "Weniger anzeigen", "Ver menos"],
    ["Hi, welcome 👋", "Ciao, benvenuto 👋", "Hola, bienvenido 👋", "Salut, bienvenue 👋", "Hallo, willkommen 👋", "Olá, bem-vindo 👋"],
    [
        "How can we help?",
        "Come possiamo aiutarti?",
        "¿Cómo podemos ayudar?",
        "Comment pouvons-nous vous aider ?",
        "Wie können wir helfen?",
        "Como podemos ajudar?",
    ],
];

/// Second, minute, hour and day, singular and plural, in `Lang` order (German in the dative a
/// duration after "in" takes).
const UNITS: [[(&str, &str); 4]; 6] = [
    [
        ("second", "seconds"),
        ("minute", "minutes"),
        ("hour", "hours"),
        ("day", "days"),
    ],
    [
        ("secondo", "secondi"),
        ("minuto", "minuti"),
        ("ora", "ore"),
        ("giorno", "giorni"),
    ],
    [
        ("segundo", "segundos"),
        ("minuto", "minutos"),
        ("hora", "horas"),
        ("día", "días"),
    ],
    [
        ("seconde", "secondes"),
        ("minute", "minutes"),
        ("heure", "heures"),
        ("jour", "jours"),
    ],
    [
        ("Sekunde", "Sekunden"),
        ("Minute", "Minuten"),
        ("Stunde", "Stunden"),
        ("Tag", "Tagen"),
    ],
    [
        ("segundo", "segundos"),
        ("minuto", "minutos"),
        ("hora", "horas"),
        ("dia", "dias"),
    ],
];

/// `ms` as a count of its largest whole unit, rounded ("2 minutes", "1 hour"); at least 1 second.
pub fn duration(lang: Lang, ms: u64) -> String {
    const SIZES: [u64; 4] = [1_000, 60_000, 3_600_000, 86_400_000];
    const NEXT: [u64; 3] = [60, 60, 24];
    let mut unit = 0;
    let mut count = ms.saturating_add(SIZES[0] / 2) / SIZES[0];
    while unit < 3 && count >= NEXT[unit] {
        unit += 1;
        count = ms.saturating_add(SIZES[unit] / 2) / SIZES[unit];
    }
    let count = count.max(1);
    let (one, many) = UNITS[lang as usize][unit];
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Text::*;

    const ALL: [Text; 80] = [
        OpenChat,
        CloseChat,
        DefaultTitle,
        TypeMessage,
        MessageLabel,
        Send,
        Sending,
        NotSent,
        Retry,
        CalloutTitle,
        CalloutMessage,
        Dismiss,
        Offline,
        SessionExpired,
        Refused,
        Unreadable,
        NoAgents,
        NewConversation,
        YourConversations,
        Back,
        CloseConversation,
        ConversationClosed,
        RateConversation,
        ThankYou,
        Today,
        Yesterday,
        UnreadMessages,
        StartChat,
        Required,
        InvalidValue,
        Download,
        ChooseDepartment,
        NewMessageFrom,
        You,
        ShowEarlier,
        ConversationMessages,
        Sent,
        Delivered,
        Read,
        IsWriting,
        Options,
        SoundOn,
        SoundOff,
        DownloadTranscript,
        LogOut,
        ConfirmEnd,
        Yes,
        No,
        Maximize,
        Minimize,
        Transcript,
        Center,
        AttachFile,
        RemoveAttachment,
        FileTooBig,
        FileType,
        FileEmpty,
        UploadFailed,
        DropHere,
        Uploading,
        Emoji,
        SearchEmoji,
        EmojiUnavailable,
        Gallery,
        RatingComment,
        ShowAll,
        RepliesIn,
        RepliesSoon,
        SwitchTo,
        AvailableNow,
        OpenInNewWindow,
        ClosedBadge,
        RecordVoice,
        StopRecording,
        RecordingNow,
        MicrophoneUnavailable,
        Sources,
        ShowLess,
        Greeting,
        HowCanWeHelp,
    ];

    #[test]
    fn every_string_is_translated() {
        for (k, key) in ALL.into_iter().enumerate() {
            assert_eq!(key as usize, k, "ALL lists {key:?} out of order");
        }
        for lang in LANGS {
            let mut same_as_english = Vec::new();
            for key in ALL {
                let text = lang.text(key);
                assert!(!text.trim().is_empty(), "{lang:?} {key:?}");
                assert_eq!(text.trim(), text, "{lang:?} {key:?}");
                if lang != Lang::En && text == Lang::En.text(key) {
                    same_as_english.push(key);
                }
            }
            assert!(
                same_as_english.len() <= 2,
                "{lang:?} keeps English for {same_as_english:?}"
            );
        }
    }

    #[test]
    fn english_strings() {
        assert_eq!(Lang::En.text(TypeMessage), "Type your message…");
        assert_eq!(Lang::En.text(You), "You");
        assert_eq!(Lang::It.text(Send), "Invia");
        assert_eq!(Lang::De.text(Yesterday), "Gestern");
        assert_eq!(Lang::En.text(ShowEarlier), "Show earlier messages");
    }

    #[test]
    fn durations_name_their_largest_unit_rounded() {
        assert_eq!(duration(Lang::En, 0), "1 second");
        assert_eq!(duration(Lang::En, 44_000), "44 seconds");
        assert_eq!(duration(Lang::En, 59_600), "1 minute");
        assert_eq!(duration(Lang::En, 125_000), "2 minutes");
        assert_eq!(duration(Lang::It, 90_000), "2 minuti");
        assert_eq!(duration(Lang::De, 3 * 3_600_000), "3 Stunden");
        assert_eq!(duration(Lang::Fr, 3_599_000), "1 heure");
        assert_eq!(duration(Lang::Es, 2 * 86_400_000), "2 días");
        assert_eq!(
            duration(Lang::Pt, u64::MAX),
            format!("{} dias", u64::MAX / 86_400_000)
        );
    }

    #[test]
    fn picks_the_setting_then_the_browser_then_english() {
        let browser = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(Lang::pick(Some("it"), &browser(&["fr-FR"])), Lang::It);
        assert_eq!(Lang::pick(Some(" DE "), &[]), Lang::De);
        assert_eq!(
            Lang::pick(Some("ja"), &browser(&["zh-CN", "pt-BR", "es"])),
            Lang::Pt
        );
        assert_eq!(Lang::pick(None, &browser(&["ES_mx"])), Lang::Es);
        assert_eq!(Lang::pick(Some(""), &browser(&["", "nl"])), Lang::En);
        assert_eq!(Lang::pick(None, &[]), Lang::En);
        assert_eq!(LANGS.map(Lang::code), CODES);
        assert_eq!(Lang::Fr.code(), "fr");
    }
}
