/** An End User Messaging Social event whose entry holds `count` delivery statuses in one change. */
export function whatsAppStatusesEvent(count: number): Record<string, unknown> {
  const statuses = Array.from({ length: count }, (_, i) => ({
    id: `wamid.HBgLMTY1MDU1NTExMTEVAgARGBI${String(i).padStart(8, '0')}`,
    status: i % 3 === 0 ? 'read' : 'delivered',
    timestamp: String(1741972830 + i),
    recipient_id: `1650555${String(i).padStart(4, '0')}`,
    conversation: {
      id: `c3e5a7b9d1f3a5c7e9b1d3f5${String(i).padStart(8, '0')}`,
      origin: { type: 'utility' },
    },
  }));
  return {
    context: { MetaWabaIds: [{ wabaId: '364711246704513' }] },
    whatsAppWebhookEntry: JSON.stringify({
      id: '364711246704513',
      changes: [{ value: { messaging_product: 'whatsapp', statuses }, field: 'messages' }],
    }),
    aws_account_id: '111122223333',
    message_timestamp: '2025-03-14T17:20:31.004518822Z',
  };
}
