import { NextRequest } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'
import { backendUrl } from '@/lib/backend'

export async function DELETE(request: NextRequest, { params }: { params: { id: string } }) {
  const session = await getServerSession(authOptions)
  const response = await fetch(`${backendUrl()}/api/crm/notes/${params.id}/`, { method: 'DELETE', headers: { 'Authorization': session?.access_token ? `Bearer ${session.access_token}` : (request.headers.get('authorization') || '') } })
  return new Response(null, { status: response.status })
}
