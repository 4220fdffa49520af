"""Admin of the chat app, split by page: sessions (list, transcript, actions), messages, statistics."""

from chat.admin.messages import ChatMessageAdmin
from chat.admin.sessions import ChatSessionAdmin

__all__ = ["ChatMessageAdmin", "ChatSessionAdmin"]
