import { NextRequest, NextResponse } from 'next/server'
import { getServerSession } from 'next-auth'
import { authOptions } from '@/app/api/auth/[...nextauth]/route'
import { getBackendHeaders } from '@/lib/backend-headers'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

// Repaired: one Authorization, set case-insensitively on a copy of whatever the helper returned;
// without a session the helper's own credential stays, else the caller's.
function withAuthorization(init: HeadersInit, bearer: string | null, request: NextRequest): Headers {
  const headers = new Headers(init)
  if (bearer) headers.set('Authorization', bearer)
  else if (!headers.get('authorization')) headers.set('Authorization', request.headers.get('authorization') || '')
  return headers
}

export async function POST(request: NextRequest) {
  const session = await getServerSession(authOptions)
  const headers = await getBackendHeaders(request)
  const body = await request.json()
  const response = await fetch(`${BRAIN_API_URL}/api/orders/`, {
    method: 'POST',
    headers: withAuthorization(headers, session?.access_token ? `Bearer ${session.access_token}` : null, request),
    body: JSON.stringify(body),
  })
  return NextResponse.json(await response.json(), { status: response.status })
}
