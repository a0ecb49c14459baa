"""API of notifications: the signed-in user's inbox, in the language of Accept-Language."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from talent_portal.core.api import KeysetPagination

from . import actions, selectors


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="The kind of message, e.g. `application_accepted`.")
    title = serializers.SerializerMethodField(help_text="The subject, in the request's language.")
    url = serializers.SerializerMethodField(help_text="Where the entry leads (empty when nowhere).")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_title(self, notification) -> str:
        return selectors.entry_title(notification)

    def get_url(self, notification) -> str:
        path = selectors.entry_url(notification)
        return f"{settings.SITE_URL}{path}" if path else ""


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class NotificationListView(ListAPIView):
    serializer_class = NotificationSerializer
    pagination_class = KeysetPagination

    def get_queryset(self):
        return selectors.inbox_for(self.request.user)

    @extend_schema(summary="My inbox, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class UnreadCountView(APIView):
    @extend_schema(responses=UnreadSerializer, summary="How many inbox entries I have not read")
    def get(self, request):
        return Response({"unread": selectors.unread_count(request.user)})


class MarkReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark one inbox entry read")
    def post(self, request, pk: int):
        entry = actions.notification_mark_read(actor=request.user, notification_id=pk)
        return Response(NotificationSerializer(entry).data)


class MarkAllReadView(APIView):
    @extend_schema(request=None, responses=UnreadSerializer, summary="Mark every inbox entry read")
    def post(self, request):
        actions.notification_mark_all_read(actor=request.user)
        return Response({"unread": 0})
