"""Multi-turn conversation scripts for demo data, in Spanish, English and Portuguese.

Each script is a list of (role, text) turns. Texts may contain the fields
{name}, {order}, {amount} and {date}, filled per session.
"""

SCRIPTS = {
    "es": [
        [
            ("system", "Eres el asistente de atención al cliente de {company}. Responde con amabilidad y precisión."),
            ("user", "Hola, no encuentro mis facturas de este mes en la web."),
            (
                "assistant",
                "Hola {name}. Las facturas están en Mi cuenta > Documentos. ¿Quiere que le envíe la de {date} por correo?",
            ),
            ("user", "Sí, por favor. Y también la factura del pedido {order}."),
            ("assistant", "Hecho: le he enviado las dos facturas. El importe del pedido {order} es de {amount} €."),
            ("user", "Perfecto, muchas gracias."),
        ],
        [
            ("user", "Buenas tardes, mi pedido {order} no ha llegado todavía."),
            (
                "assistant",
                "Lo siento, {name}. Veo que el pedido salió del almacén el {date}. Suele tardar de 2 a 3 días laborables.",
            ),
            ("user", "¿Puedo cambiar la dirección de entrega?"),
            ("assistant", "Sí, mientras no esté en reparto. ¿Cuál es la nueva dirección?"),
            ("user", "Calle Mayor 12, 3.º B, Madrid."),
            ("assistant", "Actualizada. Recibirá un SMS cuando el repartidor salga hacia su domicilio."),
        ],
        [
            ("user", "Quiero devolver unas zapatillas que me quedan pequeñas."),
            ("assistant", "Claro. Tiene 30 días desde la entrega. ¿Prefiere reembolso o cambio de talla?"),
            ("user", "Cambio de talla, la 42."),
            (
                "assistant",
                "He generado la etiqueta de devolución para el pedido {order}. Le enviaremos la talla 42 en cuanto recibamos el paquete.",
            ),
        ],
        [
            ("user", "¿Cuál es el horario de la oficina de Valencia?"),
            (
                "assistant",
                "La oficina de Valencia abre de lunes a viernes de 8:30 a 14:30, y los jueves también de 16:00 a 18:30.",
            ),
            ("user", "¿Necesito cita previa para abrir una cuenta?"),
            ("assistant", "Se recomienda. Puedo reservarle una cita; ¿le viene bien el {date} a las 10:00?"),
            ("user", "Sí, reserve esa hora a nombre de {name}."),
            ("assistant", "Cita confirmada. Traiga su DNI y un justificante de domicilio."),
        ],
        [
            ("user", "Me han cobrado dos veces la cuota de este mes."),
            (
                "assistant",
                "Disculpe las molestias, {name}. Veo dos cargos de {amount} € con fecha {date}. Abro una incidencia para devolver el duplicado.",
            ),
            ("user", "¿Cuánto tardará el reembolso?"),
            ("assistant", "Entre 3 y 5 días hábiles. Le avisaremos por correo cuando se haga efectivo."),
        ],
    ],
    "en": [
        [
            ("system", "You are the support assistant of {company}. Be concise and friendly."),
            ("user", "Hi, I can't log in to my account since yesterday."),
            ("assistant", "Sorry to hear that, {name}. Did you get an error message, or does the page just reload?"),
            ("user", "It says my password is wrong, but I haven't changed it."),
            ("assistant", "I've sent a password reset link to the email on file. It expires in 30 minutes."),
            ("user", "Got it, I'm back in. Thanks!"),
        ],
        [
            ("user", "Where is my order {order}? It was due on {date}."),
            (
                "assistant",
                "Let me check, {name}. The carrier reports a delay at the regional hub; the new estimate is two days.",
            ),
            ("user", "Can I get a refund for the express shipping?"),
            (
                "assistant",
                "Yes. I've refunded the {amount} USD shipping fee to your card. You'll see it in 3 to 5 business days.",
            ),
        ],
        [
            ("user", "Do you have the blue rain jacket in size M?"),
            ("assistant", "The blue rain jacket is out of stock in M online, but two stores near you have it."),
            ("user", "Can you reserve one at the downtown store?"),
            ("assistant", "Reserved under {name} until {date}. Bring your order number {order} to pick it up."),
            ("user", "Perfect."),
        ],
        [
            ("user", "I'd like to upgrade my plan to the business tier."),
            (
                "assistant",
                "The business tier costs {amount} USD a month and adds shared inboxes and SSO. Shall I switch you from the next billing date, {date}?",
            ),
            ("user", "Yes, and please send the invoices to accounting@example.com."),
            ("assistant", "Done. Your plan changes on {date}, and invoices will go to the accounting address."),
        ],
    ],
    "pt-BR": [
        [
            ("system", "Você é o assistente de atendimento da {company}. Seja cordial e objetivo."),
            ("user", "Olá, quero saber o status do meu pedido {order}."),
            ("assistant", "Olá, {name}! O pedido {order} foi enviado em {date} e deve chegar em até 3 dias úteis."),
            ("user", "Posso pagar a segunda parcela com Pix?"),
            ("assistant", "Pode sim. Gerei um código Pix de R$ {amount} válido por 24 horas."),
            ("user", "Obrigado!"),
        ],
        [
            ("user", "Recebi o produto com defeito, a tela está riscada."),
            ("assistant", "Sinto muito, {name}. Pode enviar uma foto do defeito? Assim já abro a troca."),
            ("user", "Enviei a foto agora pelo aplicativo."),
            ("assistant", "Recebida. A troca do pedido {order} foi aprovada e a coleta será no dia {date}."),
        ],
        [
            ("user", "Qual é o prazo para cancelar a assinatura sem multa?"),
            (
                "assistant",
                "Você pode cancelar sem multa até 7 dias após a contratação. Depois disso, a multa é de R$ {amount}.",
            ),
            ("user", "Então quero cancelar hoje."),
            ("assistant", "Cancelamento registrado, {name}. Você receberá a confirmação por e-mail."),
        ],
    ],
}

FIRST_NAMES = {
    "es": ["Lucía", "Javier", "Carmen", "Mateo", "Sofía", "Alejandro", "Valentina", "Diego", "Marta", "Pablo"],
    "en": ["Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Lucas", "Harper", "Ethan"],
    "pt-BR": ["Ana", "João", "Beatriz", "Pedro", "Larissa", "Gabriel", "Camila", "Rafael", "Júlia", "Thiago"],
}

LAST_NAMES = {
    "es": ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno"],
    "en": ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Clark", "Walker", "Hall"],
    "pt-BR": ["Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Rodrigues", "Almeida", "Nunes"],
}
